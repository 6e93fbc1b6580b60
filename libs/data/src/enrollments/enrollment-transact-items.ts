import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../tables';
import type { Enrollment } from './enrollment.types';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Key = { user_id: string; course_id: string };

/**
 * Takes a seat: the counter +1 while it is under the capacity (the old item on failure names the
 * error). `overCapacity` (a CAPACITY permit, DESIGN §8) takes one past it.
 */
export const takeSeat = (
  tables: Pick<Tables, 'courses'>,
  courseId: string,
  overCapacity = false,
): TransactItem => ({
  Update: {
    TableName: tables.courses,
    Key: { course_id: courseId },
    UpdateExpression: 'SET enrolled_count = enrolled_count + :one',
    ...(overCapacity
      ? {
          ConditionExpression: 'attribute_exists(course_id)',
          ExpressionAttributeValues: { ':one': 1 },
        }
      : {
          // No queue-jumping (DESIGN §9): while anyone waits, a free seat is the waitlist's, until
          // the promotion worker finds nobody waiting eligible and sets waitlist_open.
          ConditionExpression:
            'attribute_exists(course_id) AND enrolled_count < #capacity AND ' +
            '(attribute_not_exists(waitlist_count) OR waitlist_count = :zero OR waitlist_open = :true)',
          ExpressionAttributeNames: { '#capacity': 'capacity' }, // a DynamoDB reserved word
          ExpressionAttributeValues: { ':one': 1, ':zero': 0, ':true': true },
        }),
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  },
});

/**
 * Frees a seat: the counter −1, never below zero. The seat is held for the waitlist (the open
 * marker goes) until the promotion worker, which this change triggers, has walked it.
 */
export const freeSeat = (tables: Pick<Tables, 'courses'>, courseId: string): TransactItem => ({
  Update: {
    TableName: tables.courses,
    Key: { course_id: courseId },
    UpdateExpression: 'SET enrolled_count = enrolled_count - :one REMOVE waitlist_open',
    ConditionExpression: 'attribute_exists(course_id) AND enrolled_count > :zero',
    ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
  },
});

/**
 * The enrollment row, only if the student holds none for the course (the row held, e.g. a W, is
 * returned on failure to name the error).
 */
export const putEnrollment = (
  tables: Pick<Tables, 'enrollments'>,
  enrollment: Enrollment,
): TransactItem => ({
  Put: {
    TableName: tables.enrollments,
    Item: enrollment,
    ConditionExpression: 'attribute_not_exists(user_id)',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  },
});

// The row holds a seat: `enrolled`, or stored before statuses existed (which reads as enrolled).
const HOLDS_SEAT =
  'attribute_exists(user_id) AND (attribute_not_exists(#status) OR #status = :enrolled)';

/**
 * Removes the enrollment row, only if it is there and holds a seat (a W is never deleted: its seat
 * was freed already); the row is returned on failure to name the error.
 */
export const deleteEnrollment = (tables: Pick<Tables, 'enrollments'>, key: Key): TransactItem => ({
  Delete: {
    TableName: tables.enrollments,
    Key: key,
    ConditionExpression: HOLDS_SEAT,
    ExpressionAttributeNames: { '#status': 'status' }, // a DynamoDB reserved word
    ExpressionAttributeValues: { ':enrolled': 'enrolled' },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  },
});

/**
 * Turns the row into a W (`withdrawn`, `withdrawn_at`), only if it holds a seat, so a seat is freed
 * once whatever races it (a second withdrawal, a drop); the row is returned on failure.
 */
export const withdrawEnrollment = (
  tables: Pick<Tables, 'enrollments'>,
  key: Key,
  withdrawnAt: string,
): TransactItem => ({
  Update: {
    TableName: tables.enrollments,
    Key: key,
    UpdateExpression: 'SET #status = :withdrawn, withdrawn_at = :at',
    ConditionExpression: HOLDS_SEAT,
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':enrolled': 'enrolled',
      ':withdrawn': 'withdrawn',
      ':at': withdrawnAt,
    },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  },
});

/**
 * The status of the row a failed condition returned (ALL_OLD): the transaction's cancellation
 * reasons may carry it in DynamoDB's attribute-value form; no row gives undefined.
 */
export function statusOfOld(item: Record<string, unknown> | undefined): string | undefined {
  if (!item) return undefined;
  const status = item.status as string | { S?: string } | undefined;
  if (status === undefined) return 'enrolled';
  return typeof status === 'string' ? status : status.S;
}

/** A number attribute of the item a failed condition returned (either form), 0 when absent. */
export function numberOfOld(item: Record<string, unknown> | undefined, name: string): number {
  const v = item?.[name] as number | { N?: string } | undefined;
  if (v === undefined) return 0;
  return typeof v === 'number' ? v : Number(v.N ?? 0);
}

/** The COURSE_FULL of a failed seat condition, saying whether the waitlist has room (DESIGN §8). */
export function waitlistDetailsOfOld(item: Record<string, unknown> | undefined): {
  waitlist_available: boolean;
  waitlist_count: number;
} {
  const count = numberOfOld(item, 'waitlist_count');
  return {
    waitlist_available: count < numberOfOld(item, 'waitlist_capacity'),
    waitlist_count: count,
  };
}
