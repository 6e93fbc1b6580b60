import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { COURSES, GSI, TABLES } from '../tables';
import { testTables } from '@app/testing';
import { dropTables, migrate } from './migrate';

const { prefix, client } = testTables('migrate');
const describe_ = (name: string) =>
  client.send(new DescribeTableCommand({ TableName: `${prefix}${name}` }));

async function ourTables(): Promise<string[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const res = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(res.TableNames ?? []).filter((n) => n.startsWith(prefix)));
    start = res.LastEvaluatedTableName;
  } while (start);
  return names.sort();
}

describe('migrate (DynamoDB Local)', () => {
  afterAll(async () => {
    await dropTables(client, prefix);
    client.destroy();
  });

  it('adds a GSI missing from an existing table and waits until it is ACTIVE', async () => {
    // An "old" Courses table, from before CoursesByInstructor existed.
    const old = COURSES.indexes.filter((i) => i.IndexName !== GSI.coursesByInstructor);
    await client.send(
      new CreateTableCommand({
        TableName: `${prefix}Courses`,
        KeySchema: COURSES.key,
        AttributeDefinitions: COURSES.attributes.filter(
          (a) => !['instructor_id', 'semester_code'].includes(a.AttributeName!),
        ),
        GlobalSecondaryIndexes: old,
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const log: string[] = [];
    await migrate(client, prefix, (m) => log.push(m));

    const indexes = (await describe_('Courses')).Table!.GlobalSecondaryIndexes ?? [];
    expect(indexes.map((i) => [i.IndexName, i.IndexStatus]).sort()).toEqual([
      [GSI.coursesByInstructor, 'ACTIVE'],
      [GSI.coursesBySemester, 'ACTIVE'],
    ]);
    const added = indexes.find((i) => i.IndexName === GSI.coursesByInstructor)!;
    expect(added.Projection?.ProjectionType).toBe('INCLUDE');
    expect(added.Projection?.NonKeyAttributes).not.toContain('enrolled_count');
    expect(log.some((l) => l.includes(`adding GSI ${GSI.coursesByInstructor}`))).toBe(true);
  });

  it('creates every table with its GSIs, and is a no-op the second time', async () => {
    expect(await ourTables()).toEqual(TABLES.map((t) => `${prefix}${t.name}`).sort());
    for (const def of TABLES) {
      const table = (await describe_(def.name)).Table!;
      expect(table.TableStatus).toBe('ACTIVE');
      expect(table.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      expect((table.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName).sort()).toEqual(
        def.indexes.map((i) => i.IndexName).sort(),
      );
    }

    const log: string[] = [];
    await migrate(client, prefix, (m) => log.push(m));
    expect(log).toEqual([]);
  });

  it('keeps the seat counter out of every catalog index', async () => {
    for (const index of (await describe_('Courses')).Table!.GlobalSecondaryIndexes ?? []) {
      expect(index.Projection?.ProjectionType).toBe('INCLUDE');
      expect(index.Projection?.NonKeyAttributes).toEqual(
        expect.arrayContaining(['course_code', 'title', 'capacity', 'credits']),
      );
      expect(index.Projection?.NonKeyAttributes).not.toContain('enrolled_count');
    }
  });

  it('enables TTL on expires_at of the outbox and idempotency tables', async () => {
    for (const name of ['Outbox', 'Idempotency']) {
      const ttl = await client.send(
        new DescribeTimeToLiveCommand({ TableName: `${prefix}${name}` }),
      );
      expect(ttl.TimeToLiveDescription).toMatchObject({
        AttributeName: 'expires_at',
        TimeToLiveStatus: 'ENABLED',
      });
    }
  });

  it('survives two concurrent runs, and drops every table of the prefix', async () => {
    const other = testTables('migrate_drop');
    // Two containers starting together both migrate.
    await Promise.all([migrate(other.client, other.prefix), migrate(other.client, other.prefix)]);
    await dropTables(other.client, other.prefix);
    await dropTables(other.client, other.prefix); // idempotent too
    const left = (await other.client.send(new ListTablesCommand({}))).TableNames ?? [];
    expect(left.filter((n) => n.startsWith(other.prefix))).toEqual([]);
    other.client.destroy();
  });
});
