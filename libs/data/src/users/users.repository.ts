import { Inject, Injectable } from '@nestjs/common';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { Hold, StudentFacts } from '@app/registration';
import { setFields } from '../kit/set-fields';
import { UserNotFound } from './user.errors';
import { DYNAMODB_DOC_CLIENT } from '../dynamodb.tokens';
import { CapacityMeter } from '../kit/capacity';
import { TableNames } from '../tables';

export interface User {
  user_id: string;
  email: string;
  name: string;
  role: 'student' | 'instructor' | 'admin';
  created_at: string;
  /** The registrar's fields (DESIGN §8), absent until an admin sets them. */
  priority_group?: string;
  max_credits?: number;
  completed_courses?: string[];
  /** Active holds by hold_id. */
  holds?: Record<string, Omit<StoredHold, 'hold_id'>>;
}

export interface StoredHold extends Hold {
  created_at: string;
}

/** What an admin may set on a student's record (PATCH /api/users/:user_id). */
export type RegistrarFields = Partial<
  Pick<User, 'priority_group' | 'max_credits' | 'completed_courses'>
>;

/** The student as the registration rules see them: missing fields are empty. */
export function studentFacts(userId: string, user: User | null): StudentFacts {
  return {
    user_id: userId,
    priority_group: user?.priority_group,
    max_credits: user?.max_credits,
    completed_courses: user?.completed_courses ?? [],
    holds: Object.entries(user?.holds ?? {}).map(([hold_id, h]) => ({ hold_id, ...h })),
  };
}

@Injectable()
export class UsersRepository {
  constructor(
    @Inject(DYNAMODB_DOC_CLIENT) private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    private readonly meter: CapacityMeter,
  ) {}

  /** Strongly consistent: it fills the profile's cache entry. */
  async get(userId: string): Promise<User | null> {
    const res = await this.doc.send(
      new GetCommand({
        TableName: this.tables.users,
        Key: { user_id: userId },
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    this.meter.read('GetItem', res.ConsumedCapacity);
    return (res.Item as User | undefined) ?? null;
  }

  /** Sets the registrar's fields, creating the record when the student has none yet. */
  async setRegistrarFields(userId: string, fields: RegistrarFields): Promise<User> {
    const { assignments, names, values } = setFields(fields, {
      assignments: [
        '#created_at = if_not_exists(#created_at, :now)',
        '#role = if_not_exists(#role, :student)',
      ],
      names: { '#created_at': 'created_at', '#role': 'role' },
      values: { ':now': new Date().toISOString(), ':student': 'student' },
    });
    const res = await this.doc.send(
      new UpdateCommand({
        TableName: this.tables.users,
        Key: { user_id: userId },
        UpdateExpression: `SET ${assignments.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return res.Attributes as User;
  }

  /** Adds a hold to an existing record; 404 USER_NOT_FOUND without one. */
  async addHold(userId: string, hold: { code: string; reason: string }): Promise<StoredHold> {
    const stored: StoredHold = {
      hold_id: randomUUID(),
      ...hold,
      created_at: new Date().toISOString(),
    };
    const { hold_id, ...value } = stored;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.users,
          Key: { user_id: userId },
          // A record without holds gets the map first; one with holds gets the entry.
          UpdateExpression: 'SET holds = if_not_exists(holds, :empty)',
          ConditionExpression: 'attribute_exists(user_id)',
          ExpressionAttributeValues: { ':empty': {} },
        }),
      );
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.users,
          Key: { user_id: userId },
          UpdateExpression: 'SET holds.#id = :hold',
          ConditionExpression: 'attribute_exists(user_id)',
          ExpressionAttributeNames: { '#id': hold_id },
          ExpressionAttributeValues: { ':hold': value },
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) throw new UserNotFound(userId);
      throw err;
    }
    return stored;
  }

  /** Lifts a hold; false when the student has no such hold. */
  async removeHold(userId: string, holdId: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.users,
          Key: { user_id: userId },
          UpdateExpression: 'REMOVE holds.#id',
          ConditionExpression: 'attribute_exists(holds.#id)',
          ExpressionAttributeNames: { '#id': holdId },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
