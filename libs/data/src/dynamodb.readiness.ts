import { Inject, Injectable } from '@nestjs/common';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ReadinessCheck } from '@app/common';
import { DYNAMODB_CLIENT } from './dynamodb.tokens';
import { TableNames } from './tables';

/** Ready when DynamoDB answers and the Courses table exists (i.e. migrations have run). */
@Injectable()
export class DynamoDbReadiness implements ReadinessCheck {
  readonly name = 'dynamodb';

  constructor(
    @Inject(DYNAMODB_CLIENT) private readonly client: DynamoDBClient,
    private readonly tables: TableNames,
  ) {}

  async check(): Promise<void> {
    await this.client.send(new DescribeTableCommand({ TableName: this.tables.courses }));
  }
}
