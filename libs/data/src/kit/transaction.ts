import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  TransactWriteCommand,
  TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';

export interface CancellationReason {
  Code?: string;
  Item?: Record<string, unknown>;
}

/**
 * Runs a TransactWriteItems, retrying only TransactionConflict (another transaction touched the
 * same item) with jittered backoff. A condition failure is handed to `onCancelled` with the
 * per-item reasons, in the order of TransactItems, so the caller can name the domain error.
 */
export async function transactWrite(
  doc: DynamoDBDocumentClient,
  input: TransactWriteCommandInput,
  onCancelled: (reasons: CancellationReason[]) => Error,
  maxConflictRetries = 5,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await doc.send(new TransactWriteCommand(input));
      return;
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const reasons = (err.CancellationReasons ?? []) as CancellationReason[];
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) throw onCancelled(reasons);
      const conflict = reasons.some((r) => r.Code === 'TransactionConflict');
      if (!conflict || attempt >= maxConflictRetries) throw err;
      await sleep(Math.random() * 20 * 2 ** attempt);
    }
  }
}

export const conditionFailed = (reason: CancellationReason | undefined): boolean =>
  reason?.Code === 'ConditionalCheckFailed';
