import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { TABLES, TableDefinition } from '../tables';
import {
  isLegacyEnrollments,
  LEGACY_ENROLLMENTS_TABLE,
  rekeyLegacyEnrollments,
  RekeyOptions,
} from './rekey-enrollments';

type Log = (message: string) => void;

const WAIT_TIMEOUT_MS = 10 * 60_000;

/**
 * Idempotent: creates missing tables with their GSIs, adds GSIs missing from existing tables
 * (one at a time, as DynamoDB requires, waiting until each is ACTIVE), enables TTL, then runs the
 * data migrations whose source is still there (today one: rekey-enrollments.ts).
 */
export async function migrate(
  client: DynamoDBClient,
  prefix: string,
  log: Log = () => undefined,
  rekey: RekeyOptions = {},
): Promise<void> {
  for (const def of TABLES) {
    const name = `${prefix}${def.name}`;
    const existing = await describe(client, name);
    if (!existing) {
      await createTable(client, name, def);
      log(`created ${name} with ${def.indexes.length} GSI(s)`);
    } else {
      // UpdateTable is refused while a table is still CREATING or UPDATING (another migrate running).
      const active = await waitFor(client, name, (t) => t.TableStatus === 'ACTIVE');
      await addMissingIndexes(client, name, def, active, log);
    }
    if (def.ttlAttribute) await enableTtl(client, name, def.ttlAttribute, log);
  }
  const legacy = await describe(client, `${prefix}${LEGACY_ENROLLMENTS_TABLE}`);
  if (legacy && isLegacyEnrollments(legacy)) {
    const active = await waitFor(client, legacy.TableName!, (t) => t.TableStatus === 'ACTIVE');
    await rekeyLegacyEnrollments(client, prefix, active, log, rekey);
  }
}

/** Deletes every table of a prefix (tests, and the Scan-vs-Query scaling measurement). */
export async function dropTables(client: DynamoDBClient, prefix: string): Promise<void> {
  for (const name of [...TABLES.map((t) => t.name), LEGACY_ENROLLMENTS_TABLE]) {
    try {
      await client.send(new DeleteTableCommand({ TableName: `${prefix}${name}` }));
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
  }
}

async function describe(
  client: DynamoDBClient,
  name: string,
): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    throw err;
  }
}

async function createTable(
  client: DynamoDBClient,
  name: string,
  def: TableDefinition,
): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        KeySchema: def.key,
        AttributeDefinitions: def.attributes,
        GlobalSecondaryIndexes: def.indexes.length > 0 ? def.indexes : undefined,
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (err) {
    // Another process (a second container's migrate) created it first: just wait for it below.
    if (!(err instanceof ResourceInUseException)) throw err;
  }
  await waitFor(
    client,
    name,
    (t) =>
      t.TableStatus === 'ACTIVE' &&
      (t.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE'),
  );
}

async function addMissingIndexes(
  client: DynamoDBClient,
  name: string,
  def: TableDefinition,
  table: TableDescription,
  log: Log,
): Promise<void> {
  const present = new Set((table.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  for (const index of def.indexes.filter((i) => !present.has(i.IndexName))) {
    const keyNames = new Set(index.KeySchema!.map((k) => k.AttributeName));
    log(`adding GSI ${index.IndexName} to ${name} (backfill may take a while on a large table)`);
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: def.attributes.filter((a) => keyNames.has(a.AttributeName)),
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
    await waitFor(client, name, (t) =>
      (t.GlobalSecondaryIndexes ?? []).some(
        (i) => i.IndexName === index.IndexName && i.IndexStatus === 'ACTIVE',
      ),
    );
    log(`GSI ${index.IndexName} on ${name} is ACTIVE`);
  }
}

async function enableTtl(
  client: DynamoDBClient,
  name: string,
  attribute: string,
  log: Log,
): Promise<void> {
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
      }),
    );
  } catch (err) {
    // A concurrent migrate got there between our Describe and Update.
    if (
      (err as Error).name === 'ValidationException' &&
      /already enabled/i.test((err as Error).message)
    )
      return;
    throw err;
  }
  log(`enabled TTL on ${name}.${attribute}`);
}

async function waitFor(
  client: DynamoDBClient,
  name: string,
  done: (t: TableDescription) => boolean,
): Promise<TableDescription> {
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  for (let delay = 100; ; delay = Math.min(delay * 2, 5000)) {
    const table = await describe(client, name);
    if (table && done(table)) return table;
    if (Date.now() > deadline)
      throw new Error(`${name} did not become ACTIVE within ${WAIT_TIMEOUT_MS / 1000} s`);
    await sleep(delay);
  }
}
