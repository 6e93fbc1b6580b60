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
      ? { ConditionExpression: 'attribute_exists(course_id)' }
      : {
          ConditionExpression: 'attribute_exists(course_id) AND enrolled_count < #capacity',
          ExpressionAttributeNames: { '#capacity': 'capacity' }, // a DynamoDB reserved word
        }),
    ExpressionAttributeValues: { ':one': 1 },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  },
});

/** Frees a seat: the counter −1, never below zero. */
export const freeSeat = (tables: Pick<Tables, 'courses'>, courseId: string): TransactItem => ({
  Update: {
    TableName: tables.courses,
    Key: { course_id: courseId },
    UpdateExpression: 'SET enrolled_count = enrolled_count - :one',
    ConditionExpression: 'attribute_exists(course_id) AND enrolled_count > :zero',
    ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
  },
});

/** The enrollment row, only if the student holds none for the course. */
export const putEnrollment = (
  tables: Pick<Tables, 'enrollments'>,
  enrollment: Enrollment,
): TransactItem => ({
  Put: {
    TableName: tables.enrollments,
    Item: enrollment,
    ConditionExpression: 'attribute_not_exists(user_id)',
  },
});

/** Removes the enrollment row, only if it is there. */
export const deleteEnrollment = (tables: Pick<Tables, 'enrollments'>, key: Key): TransactItem => ({
  Delete: {
    TableName: tables.enrollments,
    Key: key,
    ConditionExpression: 'attribute_exists(user_id)',
  },
});
