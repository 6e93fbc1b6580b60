import { Inject, Injectable } from '@nestjs/common';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DYNAMODB_DOC_CLIENT } from '../dynamodb.tokens';
import { queryAll } from '../kit/query-all';
import { TableNames } from '../tables';
import type { ScheduleVersion } from './schedule-items';

@Injectable()
export class SchedulesRepository {
  constructor(
    @Inject(DYNAMODB_DOC_CLIENT) private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  /**
   * Every term's schedule item of a student, strongly consistent: one Query of the partition (a
   * student has a few terms), so the submit need not know its terms before reading the versions.
   */
  async versionsOf(userId: string): Promise<Map<string, ScheduleVersion>> {
    const items = await queryAll<Record<string, unknown>>(this.doc, {
      TableName: this.tables.schedules,
      KeyConditionExpression: 'user_id = :u',
      ExpressionAttributeValues: { ':u': userId },
      ConsistentRead: true,
    });
    return new Map(
      items.map((i) => [
        i.term_id as string,
        {
          term_id: i.term_id as string,
          credits: (i.credits as number | undefined) ?? 0,
          version: (i.version as number | undefined) ?? 0,
        },
      ]),
    );
  }
}
