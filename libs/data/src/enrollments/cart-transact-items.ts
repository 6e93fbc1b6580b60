import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CartViolation } from '@app/registration';
import { historyPut, newHistoryEntry } from '../history/history-entry';
import { conditionFailed, CancellationReason } from '../kit/transaction';
import { CartChange, newOutboxEvent, OutboxEvent, outboxPut } from '../outbox';
import { guardSchedule } from '../schedules/schedule-items';
import type { TableNames, Tables } from '../tables';
import { removeWaitlistedElsewhere, waitlistJoinItems } from '../waitlist/waitlist-transact-items';
import { IDEMPOTENCY_TTL_SECONDS, StoredResponse } from '../idempotency/idempotency';
import {
  deleteEnrollment,
  freeSeat,
  putEnrollment,
  statusOfOld,
  takeSeat,
  withdrawEnrollment,
} from './enrollment-transact-items';
import type { Enrollment } from './enrollment.types';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A checked cart, ready to write: what the snapshot allowed, and the versions it read. */
export interface CartWrite {
  userId: string;
  /** Who submits (the caller's sub): each line's history entry's actor. */
  actor: string;
  /** The token's email claim, the fallback recipient (carried in the outbox event). */
  email?: string;
  /**
   * `waitlist`: the add joins the section's waitlist (DESIGN §9) instead of taking a seat;
   * `waitlistedElsewhere`: an enrolling add's other sections of the course the student leaves.
   */
  adds: {
    courseId: string;
    semesterId: string;
    overCapacity: boolean;
    waitlist?: boolean;
    waitlistedElsewhere?: readonly string[];
  }[];
  /** `withdraw` after the term's drop deadline (a W, the seat freed), as the one-course DELETE. */
  drops: {
    courseId: string;
    semesterId: string;
    outcome: 'drop' | 'withdraw';
    /** The section keeps a waitlist: the seat freed cues its promotion walk. */
    hasWaitlist?: boolean;
  }[];
  /** Every term the cart touches: the version read (undefined: no item) and the credits after. */
  schedules: { termId: string; readVersion: number | undefined; credits: number }[];
  /**
   * The idempotency record's key and the cart's fingerprint, when an Idempotency-Key was sent, and
   * the wall-clock time (its TTL is real time, whatever clock the rules were checked at).
   */
  idempotency?: { key: string; fingerprint: string; nowSeconds: number };
  at: Date;
}

export interface CartResult {
  course_id: string;
  action: 'add' | 'drop';
  status: CartChange['status'];
  /** A waitlisted line's place in the list (counted once the cart committed). */
  position?: number;
}

/** What each transaction item is, in TransactItems order, so a cancellation reason can be named. */
export type CartItemRole =
  | { kind: 'seat' | 'waitlist-place' | 'row' | 'drop-row' | 'free-seat'; courseId: string }
  | { kind: 'elsewhere' }
  | { kind: 'schedule'; termId: string }
  | { kind: 'outbox' | 'idempotency' | 'history' };

export interface CartTransaction {
  items: TransactItem[];
  roles: CartItemRole[];
  results: CartResult[];
  event: OutboxEvent;
  /** The waitlisted lines' FIFO keys, by course id (their positions are counted by them). */
  waitlistKeys: Map<string, string>;
}

/**
 * The whole cart as one TransactWriteItems, pure: per add the seat (+1 under capacity, or past it
 * with a CAPACITY permit) and the row (only if absent); per drop the row (deleted, or turned into a
 * W, only if it holds a seat) and the seat freed; per term the schedule item (the version read, +1);
 * one outbox event listing every change (one email); the idempotency record; one history entry per
 * line, last. 6 items per line pair: a full cart (10 + 10, one term) is 63 items, under DynamoDB's 100.
 */
export function cartTransaction(tables: Tables, cart: CartWrite): CartTransaction {
  const at = cart.at.toISOString();
  const items: TransactItem[] = [];
  const roles: CartItemRole[] = [];
  const push = (role: CartItemRole, item: TransactItem) => {
    roles.push(role);
    items.push(item);
  };
  const changes: CartChange[] = [];
  const waitlistKeys = new Map<string, string>();
  const joinHistory: TransactItem[] = [];
  for (const a of cart.adds) {
    if (a.waitlist) {
      // The one-course join's items, in the cart's transaction (DESIGN §9).
      const join = waitlistJoinItems(tables as TableNames, {
        userId: cart.userId,
        courseId: a.courseId,
        semesterId: a.semesterId,
        email: cart.email,
        actor: cart.actor,
        joinedAt: cart.at,
      });
      waitlistKeys.set(a.courseId, join.key);
      push({ kind: 'waitlist-place', courseId: a.courseId }, join.place);
      push({ kind: 'row', courseId: a.courseId }, join.put);
      joinHistory.push(join.history);
      changes.push({
        course_id: a.courseId,
        semester_id: a.semesterId,
        action: 'add',
        status: 'waitlisted',
      });
      continue;
    }
    const row: Enrollment = {
      enrollment_id: `${cart.userId}#${a.courseId}`,
      user_id: cart.userId,
      course_id: a.courseId,
      semester_id: a.semesterId,
      enrolled_at: at,
      status: 'enrolled',
    };
    push({ kind: 'seat', courseId: a.courseId }, takeSeat(tables, a.courseId, a.overCapacity));
    push({ kind: 'row', courseId: a.courseId }, putEnrollment(tables, row));
    changes.push({
      course_id: a.courseId,
      semester_id: a.semesterId,
      action: 'add',
      status: 'enrolled',
    });
    // Enrolling leaves the other sections' waitlists of the course (their events cue the walks).
    for (const item of removeWaitlistedElsewhere(
      tables as TableNames,
      cart.userId,
      a.semesterId,
      a.waitlistedElsewhere ?? [],
      cart.actor,
    ))
      push({ kind: 'elsewhere' }, item);
  }
  for (const d of cart.drops) {
    const key = { user_id: cart.userId, course_id: d.courseId };
    push(
      { kind: 'drop-row', courseId: d.courseId },
      d.outcome === 'drop' ? deleteEnrollment(tables, key) : withdrawEnrollment(tables, key, at),
    );
    push({ kind: 'free-seat', courseId: d.courseId }, freeSeat(tables, d.courseId));
    changes.push({
      course_id: d.courseId,
      semester_id: d.semesterId,
      action: 'drop',
      status: d.outcome === 'drop' ? 'dropped' : 'withdrawn',
    });
  }
  for (const s of cart.schedules) {
    push(
      { kind: 'schedule', termId: s.termId },
      guardSchedule(tables, cart.userId, s.termId, s.readVersion, s.credits),
    );
  }
  const event = newOutboxEvent(
    {
      type: 'registration.submitted',
      user_id: cart.userId,
      course_id: changes[0].course_id,
      semester_id: changes[0].semester_id,
      email: cart.email,
      changes,
      // Each seat freed for a list, and each list joined (a seat may be free for the new waiter).
      walks: [
        ...cart.adds.filter((a) => a.waitlist).map((a) => a.courseId),
        ...cart.drops.filter((d) => d.hasWaitlist).map((d) => d.courseId),
      ],
    },
    cart.at.getTime(),
  );
  push({ kind: 'outbox' }, outboxPut(tables, event));
  const history = changes
    .filter((c) => c.status !== 'waitlisted') // a join's entry comes with its items
    .map((c) =>
      newHistoryEntry({
        type: c.status, // the history types of these changes have the same names
        actor: cart.actor,
        at,
        user_id: cart.userId,
        course_id: c.course_id,
        semester_id: c.semester_id,
      }),
    );
  const results = changes.map(({ course_id, action, status }) => ({ course_id, action, status }));
  if (cart.idempotency) {
    const { key, fingerprint, nowSeconds } = cart.idempotency;
    push(
      { kind: 'idempotency' },
      {
        Put: {
          TableName: tables.idempotency,
          Item: {
            key,
            fingerprint,
            status: 201,
            body: { results },
            created_at: at,
            expires_at: nowSeconds + IDEMPOTENCY_TTL_SECONDS,
          } satisfies StoredResponse,
          ConditionExpression: 'attribute_not_exists(#k) OR expires_at < :now',
          ExpressionAttributeNames: { '#k': 'key' },
          ExpressionAttributeValues: { ':now': nowSeconds },
        },
      },
    );
  }
  // The history entries close the transaction: they commit with the cart or not at all.
  for (const entry of history) push({ kind: 'history' }, historyPut(tables, entry));
  for (const item of joinHistory) push({ kind: 'history' }, item);
  return { items, roles, results, event, waitlistKeys };
}

/** Why a cart's transaction was cancelled, from its reasons (pure). */
export type CartCancellation =
  /** Another write of the student's schedule committed since the snapshot: re-validate. */
  | { kind: 'schedule-changed' }
  /** The data changed under a line (a seat taken, a row gone): the cart's violations. */
  | { kind: 'violations'; violations: CartViolation[] }
  | { kind: 'idempotency-in-progress' }
  | { kind: 'unexplained'; message: string };

// Reasons may carry the old item in DynamoDB's attribute-value form.
const numberOfOld = (item: Record<string, unknown> | undefined, name: string): number => {
  const v = item?.[name] as number | { N?: string } | undefined;
  if (v === undefined) return 0;
  return typeof v === 'number' ? v : Number(v.N ?? 0);
};

/**
 * Names a cancelled cart as the one-course writes do: a changed schedule first (the snapshot is
 * stale, so any other failure may be its consequence), then per line, in cart order: a W held →
 * ALREADY_WITHDRAWN, a seat not taken → COURSE_FULL (the course's waitlist details) or
 * COURSE_NOT_FOUND, a row held → ALREADY_ENROLLED, a drop's row gone → NOT_ENROLLED.
 */
export function cartCancellation(
  roles: readonly CartItemRole[],
  reasons: readonly CancellationReason[],
): CartCancellation {
  const failed = roles
    .map((role, i) => ({ role, reason: reasons[i] }))
    .filter((f) => conditionFailed(f.reason));
  if (failed.some((f) => f.role.kind === 'schedule')) return { kind: 'schedule-changed' };
  const byCourse = new Map<string, { kind: string; item?: Record<string, unknown> }[]>();
  for (const { role, reason } of failed) {
    if (!('courseId' in role)) continue;
    byCourse.set(role.courseId, [
      ...(byCourse.get(role.courseId) ?? []),
      { kind: role.kind, item: reason?.Item },
    ]);
  }
  const violations: CartViolation[] = [];
  for (const [courseId, fails] of byCourse) {
    const of = (kind: string) => fails.find((f) => f.kind === kind);
    const row = of('row') ?? of('drop-row');
    const place = of('waitlist-place');
    if (row && statusOfOld(row.item) === 'withdrawn') {
      violations.push({
        code: 'ALREADY_WITHDRAWN',
        course_id: courseId,
        message: `you have withdrawn from ${courseId}`,
      });
    } else if (of('row') && ['waitlisted', 'offered'].includes(statusOfOld(row!.item) ?? '')) {
      violations.push({
        code: 'ALREADY_WAITLISTED',
        course_id: courseId,
        message: `you are already on the waitlist of ${courseId}`,
      });
    } else if (place) {
      const course = place.item;
      const capacity = numberOfOld(course, 'waitlist_capacity');
      violations.push(
        !course
          ? {
              code: 'COURSE_NOT_FOUND',
              course_id: courseId,
              message: `course ${courseId} does not exist`,
            }
          : capacity <= 0
            ? {
                code: 'COURSE_FULL',
                course_id: courseId,
                message: `course ${courseId} has no seats left`,
                waitlist_available: false,
                waitlist_count: numberOfOld(course, 'waitlist_count'),
              }
            : {
                code: 'WAITLIST_FULL',
                course_id: courseId,
                message: `the waitlist of ${courseId} is full`,
                waitlist_capacity: capacity,
              },
      );
    } else if (of('seat')) {
      const course = of('seat')!.item;
      violations.push(
        course
          ? {
              code: 'COURSE_FULL',
              course_id: courseId,
              message: `course ${courseId} has no seats left`,
              waitlist_available:
                numberOfOld(course, 'waitlist_count') < numberOfOld(course, 'waitlist_capacity'),
              waitlist_count: numberOfOld(course, 'waitlist_count'),
            }
          : {
              code: 'COURSE_NOT_FOUND',
              course_id: courseId,
              message: `course ${courseId} does not exist`,
            },
      );
    } else if (of('row')) {
      violations.push({
        code: 'ALREADY_ENROLLED',
        course_id: courseId,
        message: `you are already enrolled in ${courseId}`,
      });
    } else if (of('drop-row')) {
      violations.push({
        code: 'NOT_ENROLLED',
        course_id: courseId,
        message: `you are not enrolled in ${courseId}`,
      });
    } else {
      return {
        kind: 'unexplained',
        message: `cart transaction: seat counter of ${courseId} out of step`,
      };
    }
  }
  if (violations.length > 0) return { kind: 'violations', violations };
  if (failed.some((f) => f.role.kind === 'idempotency')) return { kind: 'idempotency-in-progress' };
  return { kind: 'unexplained', message: 'cart transaction cancelled for an unknown reason' };
}
