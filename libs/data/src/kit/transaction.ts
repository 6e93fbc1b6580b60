import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  TransactWriteCommand,
  TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { DependencyUnavailable } from '@app/common';
import { fullJitterDelay } from './backoff';
import { capacityMeter } from './capacity';

export interface CancellationReason {
  Code?: string;
  Item?: Record<string, unknown>;
}

export interface TransactRetryOptions {
  /** How long conflicts and throttling may be retried in all, from the first attempt (ms). */
  budgetMs?: number;
  /** First backoff ceiling (ms); doubles per attempt, full jitter. */
  baseDelayMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Transient cancellation reasons: another transaction held an item, or the item's partition throttled. */
const RETRYABLE_REASONS = new Set(['TransactionConflict', 'ThrottlingError']);

const DEFAULT_BUDGET_MS = 1500;

/**
 * Runs a TransactWriteItems. A condition failure is handed to `onCancelled` with the per-item
 * reasons, in the order of TransactItems, so the caller can name the domain error. A cancellation
 * for transient reasons only (TransactionConflict, ThrottlingError) is retried with full-jitter
 * backoff while the time budget lasts; past it the caller gets DependencyUnavailable (503 with
 * Retry-After), never a raw SDK error. Nothing was written in either case: a cancelled transaction
 * applies none of its items.
 */
export async function transactWrite(
  doc: DynamoDBDocumentClient,
  input: TransactWriteCommandInput,
  onCancelled: (reasons: CancellationReason[]) => Error,
  opts: TransactRetryOptions = {},
): Promise<void> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + (opts.budgetMs ?? DEFAULT_BUDGET_MS);
  for (let attempt = 0; ; attempt++) {
    try {
      const out = await doc.send(
        new TransactWriteCommand({ ReturnConsumedCapacity: 'TOTAL', ...input }),
      );
      capacityMeter.write('TransactWriteItems', out.ConsumedCapacity);
      return;
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const reasons = (err.CancellationReasons ?? []) as CancellationReason[];
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) throw onCancelled(reasons);
      const transient = reasons.some((r) => r.Code && RETRYABLE_REASONS.has(r.Code));
      const unexplained = reasons.some(
        (r) => r.Code && r.Code !== 'None' && !RETRYABLE_REASONS.has(r.Code),
      );
      if (!transient || unexplained) throw err;
      const delay = fullJitterDelay(attempt + 1, opts.baseDelayMs);
      if (now() + delay >= deadline) {
        throw new DependencyUnavailable(
          `the transaction kept conflicting or being throttled for ${attempt + 1} attempts`,
        );
      }
      await sleep(delay);
    }
  }
}

export const conditionFailed = (reason: CancellationReason | undefined): boolean =>
  reason?.Code === 'ConditionalCheckFailed';
