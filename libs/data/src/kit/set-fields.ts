/** The parts of an UpdateExpression's SET clause. */
export interface SetClause {
  assignments: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/**
 * `#field = :field` for each field whose value is defined, with its name and value placeholders,
 * added to `base` (fixed assignments such as a timestamp). Field names are always aliased: some
 * are DynamoDB reserved words.
 */
export function setFields(fields: Record<string, unknown>, base: SetClause): SetClause {
  const clause = {
    assignments: [...base.assignments],
    names: { ...base.names },
    values: { ...base.values },
  };
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    clause.names[`#${field}`] = field;
    clause.values[`:${field}`] = value;
    clause.assignments.push(`#${field} = :${field}`);
  }
  return clause;
}
