// For the data layer's integration specs: a client on the DynamoDB Local the jest global setup
// started, and a table prefix no other test file uses.
import { validateEnv } from '@app/common';
import { createDynamoDbClients, tableNames } from '@app/data';
import { localDynamoDbConfig } from './dynamodb-config';
import { tableFixtures } from './fixtures';
import { uniquePrefix } from './unique-prefix';

export function testTables(label: string) {
  const prefix = `${uniquePrefix(label)}_`;
  const cfg = localDynamoDbConfig({
    env: validateEnv(process.env),
    tablePrefix: prefix,
    maxSockets: 32,
    timeoutMs: 10_000,
  });
  const clients = createDynamoDbClients(cfg);
  const tables = tableNames(prefix);
  return { prefix, cfg, tables, ...clients, ...tableFixtures(clients.doc, tables) };
}
