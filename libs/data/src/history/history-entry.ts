import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import type { Tables } from '../tables';

/** Every kind of change a student's registration record shows (DESIGN §8 History, §9 Waitlists). */
export const HISTORY_TYPES = [
  'enrolled',
  'dropped',
  'withdrawn',
  'waitlisted',
  'waitlist_left',
  'promoted',
  'offered',
  'offer_expired',
  'waitlist_removed',
  'waitlist_skipped',
  'add_rejected',
] as const;
export type HistoryType = (typeof HISTORY_TYPES)[number];

/** Who made a change that no caller asked for (a promotion, an expiry, the add deadline). */
export const SYSTEM_ACTOR = 'system';

/** A refused check of an `add_rejected` entry, as the 422 answered it. */
export interface HistoryViolation {
  code: string;
  course_id: string;
  message: string;
  [detail: string]: unknown;
}

/**
 * One event of a student's registration history, as the API shows it. Stored with one more
 * attribute on changes, `change_course_id` (HistoryByCourse's partition key; see HISTORY).
 */
export interface HistoryEntry {
  /** ULID: unique, and sorts by when it was written (newest first is a descending Query). */
  event_id: string;
  type: HistoryType;
  /** The caller's `sub`, or `system`. */
  actor: string;
  /** ISO-8601 time of the change (the registration clock). */
  at: string;
  reason?: string;
  user_id: string;
  course_id: string;
  semester_id?: string;
  violations?: HistoryViolation[];
}

export type NewHistoryEntry = Omit<HistoryEntry, 'event_id' | 'at'> & { at?: Date | string };

// Monotonic within this process: two events of one request (or one millisecond) keep their order.
const nextUlid = monotonicFactory();

/** The entry with its id and time; `at` defaults to now. Optional fields left out are not stored. */
export function newHistoryEntry(input: NewHistoryEntry): HistoryEntry {
  const { at, reason, semester_id, violations, ...rest } = input;
  return {
    event_id: nextUlid(),
    ...rest,
    at: at === undefined ? new Date().toISOString() : new Date(at).toISOString(),
    ...(reason !== undefined && { reason }),
    ...(semester_id !== undefined && { semester_id }),
    ...(violations !== undefined && { violations }),
  };
}

/** The API fields of a stored entry: never the index key, nor an attribute a later writer adds. */
export function historyFields(item: Record<string, unknown>): HistoryEntry {
  const e = item as unknown as HistoryEntry;
  return {
    event_id: e.event_id,
    type: e.type,
    actor: e.actor,
    at: e.at,
    ...(e.reason !== undefined && { reason: e.reason }),
    user_id: e.user_id,
    course_id: e.course_id,
    ...(e.semester_id !== undefined && { semester_id: e.semester_id }),
    ...(e.violations !== undefined && { violations: e.violations }),
  };
}

/** The stored item: a change (not a refusal) also carries its course as the course index's key. */
export type StoredHistoryEntry = HistoryEntry & { change_course_id?: string };

export const storedHistoryEntry = (entry: HistoryEntry): StoredHistoryEntry =>
  entry.type === 'add_rejected' ? entry : { ...entry, change_course_id: entry.course_id };

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The history write for a TransactWriteItems (or, unwrapped, a PutItem): the entry commits (or not)
 * with the change it records. One more item per transaction (2 WCU for ≤1 KB, plus 2 for the
 * course index).
 */
export function historyPut(tables: Pick<Tables, 'history'>, entry: HistoryEntry): TransactItem {
  return {
    Put: {
      TableName: tables.history,
      Item: storedHistoryEntry(entry),
      ConditionExpression: 'attribute_not_exists(event_id)',
    },
  };
}
