import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backoff } from './backoff';
import { recordReadCapacity } from './capacity';

const MAX_KEYS_PER_CALL = 100;
const MAX_ATTEMPTS = 8;

type Key = Record<string, unknown>;

/**
 * BatchGetItem over any number of keys: chunks of 100 (the API's limit) in parallel, and the
 * UnprocessedKeys DynamoDB hands back under load retried with jittered backoff.
 */
export async function batchGetAll<T>(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: Key[],
  opts: { projection?: string; names?: Record<string, string> } = {},
): Promise<T[]> {
  const chunks: Key[][] = [];
  for (let i = 0; i < keys.length; i += MAX_KEYS_PER_CALL) chunks.push(keys.slice(i, i + MAX_KEYS_PER_CALL));
  const results = await Promise.all(chunks.map((chunk) => getChunk<T>(doc, table, chunk, opts)));
  return results.flat();
}

async function getChunk<T>(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: Key[],
  opts: { projection?: string; names?: Record<string, string> },
): Promise<T[]> {
  const items: T[] = [];
  let pending = keys;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= MAX_ATTEMPTS) {
      throw new Error(`BatchGet on ${table}: ${pending.length} keys still unprocessed after ${MAX_ATTEMPTS} attempts`);
    }
    if (attempt > 0) await backoff(attempt);
    const res = await doc.send(
      new BatchGetCommand({
        RequestItems: {
          [table]: { Keys: pending, ProjectionExpression: opts.projection, ExpressionAttributeNames: opts.names },
        },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    recordReadCapacity('BatchGetItem', res.ConsumedCapacity);
    items.push(...((res.Responses?.[table] ?? []) as T[]));
    pending = (res.UnprocessedKeys?.[table]?.Keys ?? []) as Key[];
  }
  return items;
}
