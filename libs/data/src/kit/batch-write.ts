import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DependencyUnavailable } from '@app/common';
import { backoff } from './backoff';
import { CapacityMeter, capacityMeter } from './capacity';
import { chunk, forEachConcurrent } from './pool';

/** BatchWriteItem's limit per call. */
export const BATCH_WRITE_MAX_ITEMS = 25;

type Item = Record<string, unknown>;
type PutRequest = { PutRequest: { Item: Item } };

export interface BatchWriteOptions {
  /** Batches in flight at once (seeding uses several; the default keeps one caller polite). */
  concurrency?: number;
  meter?: CapacityMeter;
  maxAttempts?: number;
  baseDelayMs?: number;
  /** Called after each batch is fully written, with its item count (progress bars). */
  onBatch?: (written: number) => void;
}

/** BatchWriteItem puts of any number of items: chunks of 25, UnprocessedItems retried with jittered backoff. */
export async function batchWriteAll(
  doc: DynamoDBDocumentClient,
  table: string,
  items: Item[],
  opts: BatchWriteOptions = {},
): Promise<void> {
  await forEachConcurrent(
    chunk(items, BATCH_WRITE_MAX_ITEMS),
    opts.concurrency ?? 1,
    async (batch) => {
      await writeChunk(doc, table, batch, opts);
      opts.onBatch?.(batch.length);
    },
  );
}

async function writeChunk(
  doc: DynamoDBDocumentClient,
  table: string,
  items: Item[],
  opts: BatchWriteOptions,
): Promise<void> {
  const maxAttempts = opts.maxAttempts ?? 10;
  const meter = opts.meter ?? capacityMeter;
  let pending: PutRequest[] = items.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= maxAttempts) {
      throw new DependencyUnavailable(
        `BatchWrite on ${table}: ${pending.length} items still unprocessed after ${maxAttempts} attempts`,
      );
    }
    if (attempt > 0) await backoff(attempt, opts.baseDelayMs);
    const res = await doc.send(
      new BatchWriteCommand({
        RequestItems: { [table]: pending },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    meter.write('BatchWriteItem', res.ConsumedCapacity);
    pending = (res.UnprocessedItems?.[table] ?? []) as PutRequest[];
  }
}
