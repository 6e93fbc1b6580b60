import { Inject, Injectable } from '@nestjs/common';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DYNAMODB_DOC_CLIENT } from '../dynamodb.tokens';
import { CapacityMeter } from '../kit/capacity';
import { TableNames } from '../tables';

export interface User {
  user_id: string;
  email: string;
  name: string;
  role: 'student' | 'instructor' | 'admin';
  created_at: string;
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
}
