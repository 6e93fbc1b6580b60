import { Inject, Injectable } from '@nestjs/common';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamodbConfig } from '@app/common';
import type { DynamodbConfig } from '@app/common';
import { DYNAMODB_DOC_CLIENT } from '../dynamodb.tokens';
import { getStoredResponse, idempotencyKey, StoredResponse } from '../idempotency/idempotency';
import { TransactRetryOptions, transactWrite } from '../kit/transaction';
import { WriteAdmission } from '../kit/write-admission';
import { OutboxEvent } from '../outbox';
import { TableNames } from '../tables';
import {
  CartCancellation,
  CartResult,
  cartCancellation,
  cartTransaction,
  CartWrite,
} from './cart-transact-items';
import { IdempotencyKeyReused } from './enrollment.errors';

export type CartSubmitResult =
  | {
      replayed: false;
      results: CartResult[];
      event: OutboxEvent;
      /** The waitlisted lines' FIFO keys, by course id. */
      waitlistKeys: Map<string, string>;
    }
  | { replayed: true; status: number; body: unknown };

/** The cart's transaction was cancelled by a condition; `cancellation` says which and why. */
export class CartCancelled extends Error {
  constructor(readonly cancellation: CartCancellation) {
    super(`cart transaction cancelled: ${cancellation.kind}`);
    this.name = 'CartCancelled';
  }
}

/** The Idempotency-Key of a cart submit: the client's key, and what the cart asked for. */
export interface CartIdempotency {
  clientKey: string;
  /** The same add and drop sets give the same fingerprint, whatever their order. */
  fingerprint: string;
}

/**
 * A cart's fingerprint: its sets of adds and drops, and `waitlist` when set (a one-course enroll's
 * is its course id).
 */
export const cartFingerprint = (
  add: readonly string[],
  drop: readonly string[],
  waitlist = false,
): string =>
  JSON.stringify({
    add: [...add].sort(),
    drop: [...drop].sort(),
    ...(waitlist ? { waitlist: true } : {}),
  });

/** The atomic cart submit (DESIGN §8): the whole cart in one TransactWriteItems, or nothing. */
@Injectable()
export class CartRepository {
  private readonly retry: TransactRetryOptions;

  constructor(
    @Inject(DYNAMODB_DOC_CLIENT) private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    @Inject(dynamodbConfig.KEY) config: Pick<DynamodbConfig, 'retryBudgetMs'>,
    private readonly admission: WriteAdmission,
  ) {
    this.retry = { budgetMs: config.retryBudgetMs };
  }

  /** The first answer stored under the key, when there is one (IDEMPOTENCY_KEY_REUSED for another cart). */
  async replay(userId: string, idem: CartIdempotency): Promise<CartSubmitResult | undefined> {
    const stored = await getStoredResponse(
      this.doc,
      this.tables.idempotency,
      idempotencyKey(userId, idem.clientKey),
    );
    return stored ? this.replayOf(stored, idem) : undefined;
  }

  /**
   * Writes the cart under the instance's write admission. Throws CartCancelled when a condition
   * failed (nothing was written); a concurrent request with the same key that committed first is
   * answered with its stored response instead.
   */
  submit(cart: Omit<CartWrite, 'idempotency'>, idem?: CartIdempotency): Promise<CartSubmitResult> {
    return this.admission.run(() => this.submitNow(cart, idem));
  }

  private async submitNow(
    cart: Omit<CartWrite, 'idempotency'>,
    idem?: CartIdempotency,
  ): Promise<CartSubmitResult> {
    const key = idem ? idempotencyKey(cart.userId, idem.clientKey) : undefined;
    const tx = cartTransaction(this.tables, {
      ...cart,
      ...(idem && key
        ? {
            idempotency: {
              key,
              fingerprint: idem.fingerprint,
              nowSeconds: Math.floor(Date.now() / 1000),
            },
          }
        : {}),
    });
    try {
      await transactWrite(
        this.doc,
        { TransactItems: tx.items },
        (reasons) => new CartCancelled(cartCancellation(tx.roles, reasons)),
        this.retry,
      );
    } catch (err) {
      // The same key committed first (its rows or its record were in the way): its answer.
      if (idem && (err instanceof CartCancelled || err instanceof TransactionCanceledException)) {
        const replayed = await this.replay(cart.userId, idem);
        if (replayed) return replayed;
      }
      throw err;
    }
    return {
      replayed: false,
      results: tx.results,
      event: tx.event,
      waitlistKeys: tx.waitlistKeys,
    };
  }

  private replayOf(stored: StoredResponse, idem: CartIdempotency): CartSubmitResult {
    if (stored.fingerprint !== idem.fingerprint) throw new IdempotencyKeyReused();
    return { replayed: true, status: stored.status, body: stored.body };
  }
}
