import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

/** How long a stored first response is replayed for a repeated Idempotency-Key. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export interface StoredResponse {
  key: string;
  /** What the first request asked for; a different request under the same key is refused. */
  fingerprint: string;
  status: number;
  body: unknown;
  created_at: string;
  expires_at: number;
}

export const idempotencyKey = (userId: string, clientKey: string): string =>
  `${userId}#${clientKey}`;

export async function getStoredResponse(
  doc: DynamoDBDocumentClient,
  table: string,
  key: string,
): Promise<StoredResponse | undefined> {
  const res = await doc.send(
    new GetCommand({ TableName: table, Key: { key }, ConsistentRead: true }),
  );
  const item = res.Item as StoredResponse | undefined;
  // TTL deletion is lazy (up to days late): an expired record is treated as absent.
  if (!item || item.expires_at * 1000 < Date.now()) return undefined;
  return item;
}
