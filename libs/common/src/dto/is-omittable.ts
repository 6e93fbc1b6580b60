import { ValidateIf } from 'class-validator';

/**
 * The field may be left out. Unlike class-validator's `@IsOptional()`, which also skips every check
 * for `null`, an explicit `null` is validated like any other value (and so refused by `@IsString()`,
 * `@IsInt()`, …): null reached DynamoDB as a stored title or a failed write. A field that may really
 * be null says so with its own decorator.
 */
export const IsOmittable = () =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);
