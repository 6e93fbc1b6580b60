import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../tables';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A student's schedule item of one term, as a submit read it (before the rows). */
export interface ScheduleVersion {
  term_id: string;
  credits: number;
  version: number;
}

/**
 * The schedule item of a cart submit: requires the version the snapshot read (absent: no item yet)
 * and increments it, setting the term's enrolled credits the submit leaves. Any other write of the
 * student's schedule in the term since the read (another submit, a one-course enroll, drop or
 * withdrawal, which bump it) fails this condition, and the submit re-validates.
 */
export const guardSchedule = (
  tables: Pick<Tables, 'schedules'>,
  userId: string,
  termId: string,
  readVersion: number | undefined,
  credits: number,
): TransactItem => ({
  Update: {
    TableName: tables.schedules,
    Key: { user_id: userId, term_id: termId },
    UpdateExpression: 'SET credits = :credits, version = :next',
    ConditionExpression:
      readVersion === undefined ? 'attribute_not_exists(user_id)' : 'version = :read',
    ExpressionAttributeValues: {
      ':credits': credits,
      ':next': (readVersion ?? 0) + 1,
      ...(readVersion === undefined ? {} : { ':read': readVersion }),
    },
  },
});

/**
 * The schedule item of a one-course enroll, drop or withdrawal: the version +1 (so a concurrent
 * submit that read the old one re-validates) and the credits moved by the course's, unconditionally
 * (creates the item when absent).
 */
export const bumpSchedule = (
  tables: Pick<Tables, 'schedules'>,
  userId: string,
  termId: string,
  creditsDelta = 0,
): TransactItem => ({
  Update: {
    TableName: tables.schedules,
    Key: { user_id: userId, term_id: termId },
    UpdateExpression: 'ADD version :one, credits :delta',
    ExpressionAttributeValues: { ':one': 1, ':delta': creditsDelta },
  },
});
