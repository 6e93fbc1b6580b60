import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { testTables } from '@app/testing';
import { batchWriteAll } from '../kit/batch-write';
import { dropTables, migrate } from './migrate';
import { LEGACY_ENROLLMENTS_TABLE, RekeyCheckpoint, REKEY_ENROLLMENTS } from './rekey-enrollments';

const { prefix, client, doc, tables } = testTables('rekey');
const legacyName = `${prefix}${LEGACY_ENROLLMENTS_TABLE}`;
const ROWS = 1234;

/** A row as the code before the re-key wrote it. */
function legacyRow(i: number) {
  const user = `s${String(i % 300).padStart(4, '0')}`;
  const course = `C${Math.floor(i / 300)}-${i % 7}-2026-FALL`;
  const enrolledAt = new Date(Date.UTC(2026, 7, 1) + i * 60_000).toISOString();
  return {
    enrollment_id: `${user}#${course}`,
    user_id: user,
    course_id: course,
    semester_id: '2026-FALL',
    enrolled_at: enrolledAt,
    semester_enrolled: `2026-FALL#${enrolledAt}`,
  };
}

/** The legacy table as the previous table definition created it, with its two GSIs. */
async function createLegacyTable(): Promise<void> {
  const S = (AttributeName: string) => ({ AttributeName, AttributeType: 'S' as const });
  await client.send(
    new CreateTableCommand({
      TableName: legacyName,
      KeySchema: [{ AttributeName: 'enrollment_id', KeyType: 'HASH' }],
      AttributeDefinitions: [
        'enrollment_id',
        'user_id',
        'semester_enrolled',
        'course_id',
        'enrolled_at',
      ].map(S),
      GlobalSecondaryIndexes: [
        {
          IndexName: 'EnrollmentsByUser',
          KeySchema: [
            { AttributeName: 'user_id', KeyType: 'HASH' },
            { AttributeName: 'semester_enrolled', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'EnrollmentsByCourse',
          KeySchema: [
            { AttributeName: 'course_id', KeyType: 'HASH' },
            { AttributeName: 'enrolled_at', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

const legacyExists = () =>
  client.send(new DescribeTableCommand({ TableName: legacyName })).then(
    () => true,
    (err: Error) => (err.name === 'ResourceNotFoundException' ? false : Promise.reject(err)),
  );

const checkpoint = async () =>
  (
    await doc.send(
      new GetCommand({
        TableName: tables.migrations,
        Key: { migration_id: REKEY_ENROLLMENTS },
        ConsistentRead: true,
      }),
    )
  ).Item as RekeyCheckpoint | undefined;

async function rowsOf(userId: string) {
  const res = await doc.send(
    new QueryCommand({
      TableName: tables.enrollments,
      KeyConditionExpression: 'user_id = :u',
      ExpressionAttributeValues: { ':u': userId },
      ConsistentRead: true,
    }),
  );
  return res.Items ?? [];
}

/**
 * Runs `fn` on the client's calls of one command (after the SDK's retries, as a crash or a
 * concurrent writer would look to the migration); returns a remover.
 */
function onCommand(command: string, fn: (input: Record<string, unknown>) => Promise<void>) {
  const name = `rekeySpec${command}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === command)
        await fn((args as unknown as { input: Record<string, unknown> }).input);
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name },
  );
  return () => client.middlewareStack.remove(name);
}

describe('db:migrate re-keys a legacy Enrollments table (DynamoDB Local)', () => {
  const rows = Array.from({ length: ROWS }, (_, i) => legacyRow(i));
  /** A row the new code wrote after the deploy, for a course the legacy table also holds. */
  const newer = { ...rows[5], enrolled_at: '2026-09-01T00:00:00.000Z' };

  beforeAll(async () => {
    await createLegacyTable();
    await batchWriteAll(doc, legacyName, rows, { concurrency: 4 });
  });

  afterAll(async () => {
    await dropTables(client, prefix);
    client.destroy();
  });

  it('stops on a crash mid-copy, keeping the legacy table and its position', async () => {
    let puts = 0;
    const crash = onCommand('PutItemCommand', async (input) => {
      if (input.TableName === tables.enrollments && ++puts > 700) throw new Error('process killed');
    });
    try {
      await expect(migrate(client, prefix, () => undefined, { pageSize: 200 })).rejects.toThrow(
        'process killed',
      );
    } finally {
      crash();
    }
    const saved = await checkpoint();
    expect(saved).toMatchObject({ status: 'copying' });
    // 700 Puts got through: at least the three pages of 200 before the crash are recorded.
    expect(saved!.copied).toBeGreaterThanOrEqual(600);
    expect(saved!.copied).toBeLessThanOrEqual(700);
    expect(saved!.resume_after).toBeDefined();
    expect(await legacyExists()).toBe(true);
  });

  it('resumes, copies every row once in the new layout, keeps newer rows and drops the legacy table', async () => {
    await doc.send(new PutCommand({ TableName: tables.enrollments, Item: withoutSortKey(newer) }));
    const log: string[] = [];
    await migrate(client, prefix, (m) => log.push(m), { pageSize: 200 });

    expect(log[0]).toMatch(/^resuming the copy of .* after \d+ rows$/);
    const done = await checkpoint();
    expect(done).toMatchObject({ status: 'done' });
    expect(done!.resume_after).toBeUndefined();
    // Every legacy row was seen once after the resume point or before it; none twice as "copied".
    expect(done!.copied + done!.already_present).toBeGreaterThanOrEqual(ROWS);
    expect(done!.copied).toBeLessThanOrEqual(ROWS - 1); // `newer` was never overwritten
    expect(await legacyExists()).toBe(false);

    for (const user of ['s0000', 's0005', 's0299']) {
      const expected = rows
        .filter((r) => r.user_id === user)
        .map((r) => (r.enrollment_id === newer.enrollment_id ? newer : r))
        .map(withoutSortKey)
        .sort((a, b) => a.course_id.localeCompare(b.course_id));
      expect(await rowsOf(user)).toEqual(expected);
    }
    let total = 0;
    for (let u = 0; u < 300; u++) total += (await rowsOf(`s${String(u).padStart(4, '0')}`)).length;
    expect(total).toBe(ROWS);
  });

  it('is a no-op once the legacy table is gone', async () => {
    const log: string[] = [];
    await migrate(client, prefix, (m) => log.push(m));
    expect(log).toEqual([]);
  });

  it('keeps the legacy table when the old code wrote a row after the copy passed it, and copies it next run', async () => {
    await createLegacyTable();
    await batchWriteAll(doc, legacyName, rows.slice(0, 50));
    const late = legacyRow(ROWS + 1);
    let wrote = false;
    // The old version enrolls a student just as the check starts.
    const oldWriter = onCommand('ScanCommand', async (input) => {
      if (input.ProjectionExpression && !wrote) {
        wrote = true;
        await doc.send(new PutCommand({ TableName: legacyName, Item: late }));
      }
    });
    try {
      await expect(migrate(client, prefix)).rejects.toThrow(/1 row\(s\) .* are not in/);
    } finally {
      oldWriter();
    }
    expect(await legacyExists()).toBe(true);

    await migrate(client, prefix);
    expect(await legacyExists()).toBe(false);
    expect(await rowsOf(late.user_id)).toContainEqual(withoutSortKey(late));
  });
});

function withoutSortKey<T extends { semester_enrolled?: string }>(
  row: T,
): Omit<T, 'semester_enrolled'> {
  const { semester_enrolled: _, ...rest } = row;
  return rest;
}
