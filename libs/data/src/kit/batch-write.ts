import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backoff } from './backoff';

const MAX_ITEMS_PER_CALL = 25;
const MAX_ATTEMPTS = 10;

/** BatchWriteItem puts of any number of items: chunks of 25, UnprocessedItems retried with backoff. */
export async function batchWriteAll(doc: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += MAX_ITEMS_PER_CALL) {
    let pending = items.slice(i, i + MAX_ITEMS_PER_CALL).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`BatchWrite on ${table}: items still unprocessed after ${MAX_ATTEMPTS} attempts`);
      if (attempt > 0) await backoff(attempt);
      const res = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (res.UnprocessedItems?.[table] ?? []) as typeof pending;
    }
  }
}
