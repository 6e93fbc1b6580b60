import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { isDynamoDbReachable, startDynamoDbLocal } from './dynamodb-local';

const client = (endpoint: string) =>
  new DynamoDBClient({
    endpoint,
    region: 'eu-west-3',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });

describe('startDynamoDbLocal with a dbPath', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ddb-local-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps tables across a stop and a restart, whatever the region and keys (-sharedDb)', async () => {
    const first = await startDynamoDbLocal({ dbPath: dir });
    const c1 = client(first.endpoint);
    await c1.send(
      new CreateTableCommand({
        TableName: 'kept',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    c1.destroy();
    await first.stop();
    await expect(isDynamoDbReachable(first.endpoint)).resolves.toBe(false);

    const second = await startDynamoDbLocal({ dbPath: dir });
    const c2 = new DynamoDBClient({
      endpoint: second.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'other', secretAccessKey: 'other' },
    });
    try {
      expect((await c2.send(new ListTablesCommand({}))).TableNames).toEqual(['kept']);
    } finally {
      c2.destroy();
      await second.stop();
    }
  });
});
