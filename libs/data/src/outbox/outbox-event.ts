import { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { TableNames } from '../tables';

export type OutboxEventType =
  | 'enrollment.created'
  | 'enrollment.dropped'
  | 'enrollment.withdrawn'
  | 'waitlist.joined'
  | 'waitlist.promoted'
  | 'waitlist.left'
  | 'waitlist.removed'
  | 'course.capacity_raised'
  | 'waitlist.offered'
  | 'waitlist.offer_expired'
  | 'waitlist.declined'
  | 'registration.submitted'
  | 'term.saved'
  | 'waitlist.deadline_removed';

/**
 * Events that may let a waitlisted student in (DESIGN §9): a seat freed, a waiter gone (who may
 * have been the only eligible one), a join (a seat may be free for it), more seats. Each one puts
 * the section's promotion job on the waitlist queue.
 */
export const WAITLIST_TRIGGERS: ReadonlySet<OutboxEventType> = new Set<OutboxEventType>([
  'enrollment.dropped',
  'enrollment.withdrawn',
  'waitlist.joined',
  'waitlist.left',
  'waitlist.removed',
  'course.capacity_raised',
  'waitlist.offer_expired',
  'waitlist.declined',
]);

/**
 * The sections whose promotion walk an event cues: its own for a trigger; for a cart, each section
 * with a waitlist it freed a seat in, and each it joined the list of (`walks`).
 */
export function walksOf(event: Pick<OutboxEvent, 'type' | 'course_id' | 'walks'>): string[] {
  if (WAITLIST_TRIGGERS.has(event.type)) return [event.course_id];
  return event.type === 'registration.submitted' ? (event.walks ?? []) : [];
}

/**
 * Events that send no email: leaving a waitlist (DESIGN §9), a removal for enrolling elsewhere, a
 * capacity raise, a saved term (its cue for the add-deadline sweep job).
 */
export const SILENT_EVENTS: ReadonlySet<OutboxEventType> = new Set<OutboxEventType>([
  'waitlist.left',
  'waitlist.removed',
  'course.capacity_raised',
  'waitlist.declined',
  'term.saved',
]);

/** One change of a submitted cart, as its one email lists it. */
export interface CartChange {
  course_id: string;
  semester_id: string;
  action: 'add' | 'drop';
  /**
   * `enrolled` or `waitlisted` (an add; DESIGN §9), `dropped` or `withdrawn` (a drop after the
   * term's drop deadline).
   */
  status: 'enrolled' | 'waitlisted' | 'dropped' | 'withdrawn';
  /** A waitlisted line's place in the list (set once the cart committed, for its email). */
  position?: number;
}

/** A side effect (an email) committed in the same transaction as the data change it reports. */
export interface OutboxEvent {
  /** ULID: unique, and sorts by creation time (the relay's "older than" is a key condition). */
  event_id: string;
  type: OutboxEventType;
  user_id: string;
  course_id: string;
  semester_id: string;
  /** The token's email claim: the recipient when the user has no Users row. */
  email?: string;
  /** A waitlist join's place in the list when it committed (its email says it). */
  position?: number;
  /** `waitlist.offered`: until when the seat is held (its email says it; the expiry job's time). */
  offer_expires_at?: string;
  /** `registration.submitted`: every change of the cart (course_id is then the first one's). */
  changes?: CartChange[];
  /** `registration.submitted`: the sections whose promotion walk the cart cues. */
  walks?: string[];
  /** `term.saved`: when the term's add-deadline sweep runs (course_id is then empty). */
  add_deadline?: string;
  occurred_at: string;
  /** Present while the event waits to be enqueued; its presence puts the item in the sparse OutboxPending index. */
  pending_shard?: string;
  enqueued_at?: string;
  sent_at?: string;
  /** A sender's claim (epoch ms) while it talks to SMTP; see OutboxRepository.claimSend. */
  sending_until?: number;
  sending_by?: string;
  /** TTL (epoch seconds), set once the event has left the pending index. */
  expires_at?: number;
}

export type NewOutboxEvent = Pick<
  OutboxEvent,
  | 'type'
  | 'user_id'
  | 'course_id'
  | 'semester_id'
  | 'email'
  | 'position'
  | 'changes'
  | 'walks'
  | 'offer_expires_at'
  | 'add_deadline'
>;

/**
 * Pending events are spread over a few index partitions so a registration rush does not write one
 * hot GSI partition; the relay queries each shard.
 */
export const OUTBOX_PENDING_SHARDS = 4;
export const OUTBOX_PENDING_INDEX = 'OutboxPending';

export const pendingShardOf = (eventId: string): string => {
  let h = 0;
  for (let i = 0; i < eventId.length; i++) h = (h * 31 + eventId.charCodeAt(i)) >>> 0;
  return `pending#${h % OUTBOX_PENDING_SHARDS}`;
};

export const allPendingShards = (): string[] =>
  Array.from({ length: OUTBOX_PENDING_SHARDS }, (_, i) => `pending#${i}`);

export function newOutboxEvent(input: NewOutboxEvent, now = Date.now()): OutboxEvent {
  const event_id = ulid(now);
  return {
    event_id,
    type: input.type,
    user_id: input.user_id,
    course_id: input.course_id,
    semester_id: input.semester_id,
    ...(input.email ? { email: input.email } : {}),
    ...(input.position !== undefined ? { position: input.position } : {}),
    ...(input.changes ? { changes: input.changes } : {}),
    ...(input.walks?.length ? { walks: input.walks } : {}),
    ...(input.offer_expires_at ? { offer_expires_at: input.offer_expires_at } : {}),
    ...(input.add_deadline ? { add_deadline: input.add_deadline } : {}),
    occurred_at: new Date(now).toISOString(),
    pending_shard: pendingShardOf(event_id),
  };
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The outbox write for a TransactWriteItems: the event commits (or not) with the data it reports. */
export function outboxPut(tables: TableNames, event: OutboxEvent): TransactItem {
  return {
    Put: {
      TableName: tables.outbox,
      Item: event,
      ConditionExpression: 'attribute_not_exists(event_id)',
    },
  };
}
