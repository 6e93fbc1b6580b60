// Shared by this lib's integration specs (not exported from the lib): a client on the DynamoDB Local
// the jest global setup started, and a table prefix no other test file uses.
import { DynamodbConfig, validateEnv } from '@app/common';
import { uniquePrefix } from '../../../../test/support';
import { createDynamoDbClients } from '../dynamodb.client';
import { tableNames } from '../tables';

export function testTables(label: string) {
  const prefix = `${uniquePrefix(label)}_`;
  const env = validateEnv(process.env);
  const cfg: DynamodbConfig = {
    endpoint: env.DYNAMODB_ENDPOINT,
    region: env.AWS_REGION,
    accessKeyId: env.AWS_ACCESS_KEY_ID,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
    tablePrefix: prefix,
    maxSockets: 32,
    timeoutMs: 10_000,
    maxAttempts: 3,
  };
  return { prefix, cfg, tables: tableNames(prefix), ...createDynamoDbClients(cfg) };
}
