import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { waitlistKey } from '@app/registration';
import { putEnrollment } from '../enrollments/enrollment-transact-items';
import type { Enrollment } from '../enrollments/enrollment.types';
import { historyPut, newHistoryEntry } from '../history/history-entry';
import { newOutboxEvent, outboxPut } from '../outbox';
import type { TableNames } from '../tables';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Key = { user_id: string; course_id: string };

const STATUS = { '#status': 'status' }; // a DynamoDB reserved word

/**
 * Takes a place on the section's waitlist: waitlist_count +1 while under waitlist_capacity, so
 * concurrent joins for the last place admit exactly one. A join also counts in waitlist_joins and
 * clears the open marker: the new student was eligible at join, so the seats are the list's again.
 */
export const takeWaitlistPlace = (tables: TableNames, courseId: string): TransactItem => ({
  Update: {
    TableName: tables.courses,
    Key: { course_id: courseId },
    UpdateExpression:
      'SET waitlist_count = if_not_exists(waitlist_count, :zero) + :one, ' +
      'waitlist_joins = if_not_exists(waitlist_joins, :zero) + :one REMOVE waitlist_open',
    ConditionExpression:
      'attribute_exists(course_id) AND waitlist_capacity > :zero AND ' +
      '(attribute_not_exists(waitlist_count) OR waitlist_count < waitlist_capacity)',
    ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  },
});

/** A waitlist join's writes (the one-course join's and a cart's): the row, its key and its items. */
export interface WaitlistJoinItems {
  /** The row as the API shows it (no key, no email). */
  row: Enrollment;
  /** Its FIFO key in WaitlistByCourse (`position` is counted by it once committed). */
  key: string;
  /** The place (waitlist_count < waitlist_capacity), returned as ALL_OLD on failure. */
  place: TransactItem;
  /** The row, only if the student holds none for the section (ALL_OLD on failure). */
  put: TransactItem;
  /** The `waitlisted` history entry: callers put it with their other entries, last. */
  history: TransactItem;
}

/**
 * What joining a section's waitlist writes, whichever request joins: the place, the row (with the
 * token's email: a promotion's email has no request to take it from) and its history entry.
 */
export function waitlistJoinItems(
  tables: TableNames,
  input: {
    userId: string;
    courseId: string;
    semesterId: string;
    email?: string;
    actor: string;
    joinedAt: Date;
  },
): WaitlistJoinItems {
  const key = waitlistKey(input.joinedAt, ulid(input.joinedAt.getTime()));
  const row: Enrollment = {
    enrollment_id: `${input.userId}#${input.courseId}`,
    user_id: input.userId,
    course_id: input.courseId,
    semester_id: input.semesterId,
    waitlisted_at: input.joinedAt.toISOString(),
    status: 'waitlisted',
  };
  return {
    row,
    key,
    place: takeWaitlistPlace(tables, input.courseId),
    put: putEnrollment(tables, {
      ...row,
      waitlist_key: key,
      ...(input.email ? { email: input.email } : {}),
    } as Enrollment),
    history: historyPut(
      tables,
      newHistoryEntry({
        type: 'waitlisted',
        actor: input.actor,
        at: input.joinedAt,
        user_id: input.userId,
        course_id: input.courseId,
        semester_id: input.semesterId,
      }),
    ),
  };
}

/** Gives a waitlist place back: waitlist_count −1, never below zero. */
export const releaseWaitlistPlace = (tables: TableNames, courseId: string): TransactItem => ({
  Update: {
    TableName: tables.courses,
    Key: { course_id: courseId },
    UpdateExpression: 'SET waitlist_count = waitlist_count - :one',
    ConditionExpression: 'attribute_exists(course_id) AND waitlist_count > :zero',
    ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
  },
});

/** Deletes a row only while it is waitlisted (returned on failure to name the error). */
export const deleteWaitlisted = (tables: TableNames, key: Key): TransactItem => ({
  Delete: {
    TableName: tables.enrollments,
    Key: key,
    ConditionExpression: '#status = :waitlisted',
    ExpressionAttributeNames: STATUS,
    ExpressionAttributeValues: { ':waitlisted': 'waitlisted' },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  },
});

/**
 * A promotion's seat: enrolled_count +1 and waitlist_count −1, while a seat is free. Not the
 * takeSeat condition: the waitlist is who the held seat is for.
 */
export const promoteSeat = (tables: TableNames, courseId: string): TransactItem => ({
  Update: {
    TableName: tables.courses,
    Key: { course_id: courseId },
    UpdateExpression:
      'SET enrolled_count = enrolled_count + :one, waitlist_count = waitlist_count - :one',
    ConditionExpression:
      'attribute_exists(course_id) AND enrolled_count < #capacity AND waitlist_count > :zero',
    ExpressionAttributeNames: { '#capacity': 'capacity' },
    ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
  },
});

/** The row becomes `enrolled` and leaves the WaitlistByCourse index, only while still waitlisted. */
export const promoteRow = (tables: TableNames, key: Key, enrolledAt: string): TransactItem => ({
  Update: {
    TableName: tables.enrollments,
    Key: key,
    UpdateExpression: 'SET #status = :enrolled, enrolled_at = :at REMOVE waitlist_key',
    ConditionExpression: '#status = :waitlisted',
    ExpressionAttributeNames: STATUS,
    ExpressionAttributeValues: {
      ':enrolled': 'enrolled',
      ':waitlisted': 'waitlisted',
      ':at': enrolledAt,
    },
  },
});

/**
 * The items that take a student off the waitlists of other sections of a course they enroll in
 * (DESIGN §9, `enrolled_elsewhere`): the row, its place, and a silent event that lets that
 * section's list move on, and its history entry. Four items per section, appended to the enrolling
 * transaction.
 */
export function removeWaitlistedElsewhere(
  tables: TableNames,
  userId: string,
  semesterId: string,
  courseIds: readonly string[],
  actor: string,
): TransactItem[] {
  return courseIds.flatMap((courseId) => [
    deleteWaitlisted(tables, { user_id: userId, course_id: courseId }),
    releaseWaitlistPlace(tables, courseId),
    outboxPut(
      tables,
      newOutboxEvent({
        type: 'waitlist.removed',
        user_id: userId,
        course_id: courseId,
        semester_id: semesterId,
      }),
    ),
    historyPut(
      tables,
      newHistoryEntry({
        type: 'waitlist_removed',
        actor,
        reason: 'enrolled_elsewhere',
        user_id: userId,
        course_id: courseId,
        semester_id: semesterId,
      }),
    ),
  ]);
}

/**
 * An offer (DESIGN §9, offer mode): the row becomes `offered` until `expiresAt` and leaves the
 * index, only while still waitlisted. Its seat is taken with promoteSeat: held for the student.
 */
export const offerRow = (tables: TableNames, key: Key, expiresAt: string): TransactItem => ({
  Update: {
    TableName: tables.enrollments,
    Key: key,
    UpdateExpression: 'SET #status = :offered, offer_expires_at = :exp REMOVE waitlist_key',
    ConditionExpression: '#status = :waitlisted',
    ExpressionAttributeNames: STATUS,
    ExpressionAttributeValues: {
      ':offered': 'offered',
      ':waitlisted': 'waitlisted',
      ':exp': expiresAt,
    },
  },
});

/** An accepted offer: the row becomes `enrolled`, only while offered and not expired. */
export const acceptOffer = (tables: TableNames, key: Key, at: string): TransactItem => ({
  Update: {
    TableName: tables.enrollments,
    Key: key,
    UpdateExpression: 'SET #status = :enrolled, enrolled_at = :at REMOVE offer_expires_at',
    ConditionExpression: '#status = :offered AND offer_expires_at > :at',
    ExpressionAttributeNames: STATUS,
    ExpressionAttributeValues: { ':enrolled': 'enrolled', ':offered': 'offered', ':at': at },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  },
});

/** Deletes an offered row (declined, or lapsed when `lapsedBy` is given). */
export const deleteOffer = (tables: TableNames, key: Key, lapsedBy?: string): TransactItem => ({
  Delete: {
    TableName: tables.enrollments,
    Key: key,
    ConditionExpression:
      lapsedBy === undefined
        ? '#status = :offered'
        : '#status = :offered AND offer_expires_at <= :now',
    ExpressionAttributeNames: STATUS,
    ExpressionAttributeValues: { ':offered': 'offered', ...(lapsedBy ? { ':now': lapsedBy } : {}) },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  },
});
