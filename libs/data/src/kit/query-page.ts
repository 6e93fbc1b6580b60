import {
  DynamoDBDocumentClient,
  QueryCommand,
  QueryCommandInput,
  QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { CursorCodec, CursorScope, InvalidCursor } from './cursor';

export interface PageRequest {
  /** What the cursor is bound to; see CursorScope. */
  scope: CursorScope;
  limit: number;
  cursor?: string;
  /** The Query without Limit and ExclusiveStartKey. */
  input: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>;
}

/**
 * One page of a Query: the cursor decoded into ExclusiveStartKey and LastEvaluatedKey encoded back.
 * DynamoDB refuses a start key that does not fit the query (ValidationException "The provided
 * starting key does not match the range key predicate"); with a signed, scope-bound cursor that
 * should never happen, and if it does it is the cursor's fault, never a 5xx.
 */
export async function queryPage(
  doc: DynamoDBDocumentClient,
  cursors: CursorCodec,
  page: PageRequest,
): Promise<{ output: QueryCommandOutput; next_cursor: string | null }> {
  const start = cursors.decode(page.cursor, page.scope);
  let output: QueryCommandOutput;
  try {
    output = await doc.send(
      new QueryCommand({ ...page.input, Limit: page.limit, ExclusiveStartKey: start }),
    );
  } catch (err) {
    if (start && (err as Error).name === 'ValidationException') throw new InvalidCursor();
    throw err;
  }
  return { output, next_cursor: cursors.encode(output.LastEvaluatedKey, page.scope) };
}
