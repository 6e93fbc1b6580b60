import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DependencyUnavailable } from '@app/common';
import { backoff } from './backoff';
import { CapacityMeter, capacityMeter } from './capacity';
import { chunk, forEachConcurrent } from './pool';

/** BatchGetItem's limit per call. */
export const BATCH_GET_MAX_KEYS = 100;

type Key = Record<string, unknown>;

export interface BatchGetOptions {
  /** ProjectionExpression; pass `names` for attribute names that need `#aliases`. */
  projection?: string;
  names?: Record<string, string>;
  consistentRead?: boolean;
  meter?: CapacityMeter;
  /** Calls per chunk before giving up on keys DynamoDB keeps returning unprocessed. */
  maxAttempts?: number;
  /** First backoff ceiling in ms; doubles per attempt. */
  baseDelayMs?: number;
  /** Chunks in flight at once. */
  concurrency?: number;
}

/**
 * BatchGetItem over any number of keys: chunks of 100 (the API's limit), a few in parallel, and the
 * UnprocessedKeys DynamoDB hands back under load retried with jittered exponential backoff.
 * Items come back in no particular order; missing keys are simply absent.
 */
export async function batchGetAll<T = Record<string, unknown>>(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: Key[],
  opts: BatchGetOptions = {},
): Promise<T[]> {
  const items: T[] = [];
  await forEachConcurrent(
    chunk(keys, BATCH_GET_MAX_KEYS),
    opts.concurrency ?? 8,
    async (keysOfChunk) => {
      items.push(...(await getChunk<T>(doc, table, keysOfChunk, opts)));
    },
  );
  return items;
}

async function getChunk<T>(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: Key[],
  opts: BatchGetOptions,
): Promise<T[]> {
  const maxAttempts = opts.maxAttempts ?? 8;
  const meter = opts.meter ?? capacityMeter;
  const items: T[] = [];
  let pending = keys;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= maxAttempts) {
      throw new DependencyUnavailable(
        `BatchGet on ${table}: ${pending.length} keys still unprocessed after ${maxAttempts} attempts`,
      );
    }
    if (attempt > 0) await backoff(attempt, opts.baseDelayMs);
    const res = await doc.send(
      new BatchGetCommand({
        RequestItems: {
          [table]: {
            Keys: pending,
            ProjectionExpression: opts.projection,
            ExpressionAttributeNames: opts.names,
            ConsistentRead: opts.consistentRead,
          },
        },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    meter.read('BatchGetItem', res.ConsumedCapacity);
    items.push(...((res.Responses?.[table] ?? []) as T[]));
    pending = (res.UnprocessedKeys?.[table]?.Keys ?? []) as Key[];
  }
  return items;
}
