import { Inject, Injectable } from '@nestjs/common';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
  UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { encodeTime } from 'ulid';
import { DYNAMODB_DOC_CLIENT } from '../dynamodb.tokens';
import { TableNames } from '../tables';
import { allPendingShards, OUTBOX_PENDING_INDEX, OutboxEvent } from './outbox-event';

/** How long a delivered (or enqueued) event is kept: long after any redelivery could still happen. */
export const OUTBOX_RETENTION_SECONDS = 7 * 24 * 60 * 60;

/** The smallest ULID of a millisecond: every id below it was created earlier. */
const ulidFloor = (epochMs: number): string =>
  `${encodeTime(Math.max(0, epochMs), 10)}${'0'.repeat(16)}`;

const isConditionFailure = (err: unknown): boolean =>
  (err as Error)?.name === 'ConditionalCheckFailedException';

/** `taken-over`: claimed from another owner whose claim lapsed unreleased; it may have sent already. */
export type SendClaim = 'claimed' | 'taken-over' | 'already-sent' | 'in-progress' | 'missing';

const expiresAt = (): number => Math.floor(Date.now() / 1000) + OUTBOX_RETENTION_SECONDS;

/** :now and :exp of the markers that stamp a time and start the retention period. */
const stamped = () => ({ ':now': new Date().toISOString(), ':exp': expiresAt() });

/** A claim update's condition: `:owner` still holds it, and the email is not marked sent. */
const OWNER_HOLDS_CLAIM = 'sending_by = :owner AND attribute_not_exists(sent_at)';

@Injectable()
export class OutboxRepository {
  constructor(
    @Inject(DYNAMODB_DOC_CLIENT) private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  async get(eventId: string): Promise<OutboxEvent | undefined> {
    const res = await this.doc.send(
      new GetCommand({
        TableName: this.tables.outbox,
        Key: { event_id: eventId },
        ConsistentRead: true,
      }),
    );
    return res.Item as OutboxEvent | undefined;
  }

  /**
   * Pending events created more than `olderThanMs` ago, oldest first: one Query per shard of the
   * sparse OutboxPending index (ULIDs sort by time, so "older than" is a key condition), never a Scan.
   */
  async listPending(opts: { olderThanMs: number; limit: number }): Promise<OutboxEvent[]> {
    const before = ulidFloor(Date.now() - opts.olderThanMs);
    const pages = await Promise.all(
      allPendingShards().map((shard) =>
        this.doc.send(
          new QueryCommand({
            TableName: this.tables.outbox,
            IndexName: OUTBOX_PENDING_INDEX,
            KeyConditionExpression: 'pending_shard = :s AND event_id < :before',
            ExpressionAttributeValues: { ':s': shard, ':before': before },
            Limit: opts.limit,
          }),
        ),
      ),
    );
    const ids = pages
      .flatMap((p) => (p.Items ?? []) as Pick<OutboxEvent, 'event_id'>[])
      .map((i) => i.event_id)
      .sort()
      .slice(0, opts.limit);
    // The index projects what the relay needs only if its definition says so; read the base items
    // to be independent of the projection (a pending event is rare: the fast path enqueues almost all).
    const events = await Promise.all(ids.map((id) => this.get(id)));
    return events.filter((e): e is OutboxEvent => !!e?.pending_shard);
  }

  /** The event is in the queue: it leaves the pending index and expires after the retention period. */
  markEnqueued(eventId: string): Promise<boolean> {
    return this.updateIf(eventId, {
      UpdateExpression:
        'REMOVE pending_shard SET enqueued_at = if_not_exists(enqueued_at, :now), expires_at = :exp',
      ConditionExpression: 'attribute_exists(event_id)',
      ExpressionAttributeValues: stamped(),
    });
  }

  /**
   * Claims the right to send this event's email for `leaseMs`: two deliveries of one event running at
   * the same time (a stalled job taken over while its first worker is still alive, a duplicate job)
   * cannot both pass. `owner` names the claiming process: it may take its own claim again (an SDK
   * retry of a claim that committed although its answer timed out, a retry of a failed attempt), a
   * claim of another owner only once it has lapsed, which is a takeover: that owner may have sent.
   */
  async claimSend(eventId: string, owner: string, leaseMs: number): Promise<SendClaim> {
    const now = Date.now();
    try {
      const res = await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.outbox,
          Key: { event_id: eventId },
          UpdateExpression: 'SET sending_until = :until, sending_by = :owner',
          ConditionExpression:
            'attribute_exists(event_id) AND attribute_not_exists(sent_at) AND (attribute_not_exists(sending_until) OR sending_until < :now OR sending_by = :owner)',
          ExpressionAttributeValues: { ':until': now + leaseMs, ':owner': owner, ':now': now },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      const previous = (res.Attributes as Pick<OutboxEvent, 'sending_by'> | undefined)?.sending_by;
      return previous && previous !== owner ? 'taken-over' : 'claimed';
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const current = await this.get(eventId);
      if (!current) return 'missing';
      return current.sent_at ? 'already-sent' : 'in-progress';
    }
  }

  /** Extends the owner's claim while its send runs (a live sender is never taken over); false if it is gone. */
  renewSend(eventId: string, owner: string, leaseMs: number): Promise<boolean> {
    return this.updateIf(eventId, {
      UpdateExpression: 'SET sending_until = :until',
      ConditionExpression: OWNER_HOLDS_CLAIM,
      ExpressionAttributeValues: { ':owner': owner, ':until': Date.now() + leaseMs },
    });
  }

  /** Gives a claim back after a failed send, so the retry need not wait for the lease to expire. */
  async releaseSend(eventId: string, owner: string): Promise<void> {
    await this.updateIf(eventId, {
      UpdateExpression: 'REMOVE sending_until, sending_by',
      ConditionExpression: OWNER_HOLDS_CLAIM,
      ExpressionAttributeValues: { ':owner': owner },
    });
  }

  /**
   * The SENT marker: true if this call recorded the send, false if the event was already sent.
   * Delivery is at-least-once, so this is what keeps a job redelivered after it from sending again.
   */
  markSent(eventId: string): Promise<boolean> {
    return this.updateIf(eventId, {
      // A sent event also leaves the pending index, in case its markEnqueued was lost.
      UpdateExpression:
        'REMOVE pending_shard, sending_until, sending_by SET sent_at = :now, expires_at = if_not_exists(expires_at, :exp)',
      ConditionExpression: 'attribute_not_exists(sent_at)',
      ExpressionAttributeValues: stamped(),
    });
  }

  /** A conditional update of the event; false when its condition did not hold. */
  private async updateIf(
    eventId: string,
    update: Pick<
      UpdateCommandInput,
      'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeValues'
    >,
  ): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({ TableName: this.tables.outbox, Key: { event_id: eventId }, ...update }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}
