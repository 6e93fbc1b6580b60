import { Inject, Injectable } from '@nestjs/common';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Permit, PermitType } from '@app/registration';
import { DYNAMODB_DOC_CLIENT } from '../dynamodb.tokens';
import { queryAll } from '../kit/query-all';
import { TableNames } from '../tables';

/** A permit as stored and answered: who may skip which check of which section, until when. */
export interface StoredPermit extends Permit {
  permit_id: string;
  user_id: string;
  issued_by: string;
  issued_at: string;
}

// Ids are 1-64 of [A-Za-z0-9_.:-] (IsId), so "~" cannot occur in them: the permit id splits back.
const SEP = '~';
export const permitId = (userId: string, courseId: string, type: PermitType) =>
  [userId, courseId, type].join(SEP);
export function parsePermitId(id: string): { userId: string; courseId: string; type: PermitType } {
  const [userId, courseId, type] = id.split(SEP);
  return { userId, courseId, type: type as PermitType };
}
const sortKey = (courseId: string, type: string) => `${courseId}#${type}`;

@Injectable()
export class PermitsRepository {
  constructor(
    @Inject(DYNAMODB_DOC_CLIENT) private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  /** Issues the permit; one already issued for the same (student, section, type) is replaced. */
  async put(permit: Omit<StoredPermit, 'permit_id'>): Promise<StoredPermit> {
    const stored: StoredPermit = {
      permit_id: permitId(permit.user_id, permit.course_id, permit.type),
      ...permit,
    };
    await this.doc.send(
      new PutCommand({
        TableName: this.tables.permits,
        Item: { ...stored, sk: sortKey(permit.course_id, permit.type) },
      }),
    );
    return stored;
  }

  /** Every permit of a student (a handful): one Query of their partition. */
  listByUser(userId: string): Promise<StoredPermit[]> {
    return this.query(userId);
  }

  /** The student's permits for one section: one Query, `begins_with(sk, course_id#)`. */
  listForCourse(userId: string, courseId: string): Promise<StoredPermit[]> {
    return this.query(userId, `${courseId}#`);
  }

  /** Revokes a permit; false when there is none. */
  async delete(id: string): Promise<boolean> {
    const { userId, courseId, type } = parsePermitId(id);
    const res = await this.doc.send(
      new DeleteCommand({
        TableName: this.tables.permits,
        Key: { user_id: userId, sk: sortKey(courseId, type) },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return res.Attributes !== undefined;
  }

  private async query(userId: string, prefix?: string): Promise<StoredPermit[]> {
    const items = await queryAll<Record<string, unknown>>(this.doc, {
      TableName: this.tables.permits,
      KeyConditionExpression: prefix ? 'user_id = :u AND begins_with(sk, :p)' : 'user_id = :u',
      ExpressionAttributeValues: prefix ? { ':u': userId, ':p': prefix } : { ':u': userId },
      ConsistentRead: true,
    });
    return items.map(({ sk: _, ...p }) => p as unknown as StoredPermit);
  }
}
