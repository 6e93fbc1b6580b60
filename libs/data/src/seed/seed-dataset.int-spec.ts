import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '../kit/batch-get';
import { dropTables, migrate } from '../migrations/migrate';
import { GSI } from '../tables';
import { testTables } from '@app/testing';
import { SeedProgress, hasSeedData, seedDataset } from './seed-dataset';

const { prefix, client, doc, tables } = testTables('seed');

async function queryAll(
  input: ConstructorParameters<typeof QueryCommand>[0],
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start);
  return items;
}

describe('seedDataset (DynamoDB Local)', () => {
  const progress: SeedProgress[] = [];
  let summary: Awaited<ReturnType<typeof seedDataset>>;

  beforeAll(async () => {
    await migrate(client, prefix);
    expect(await hasSeedData(doc, tables)).toBe(false);
    summary = await seedDataset(
      doc,
      tables,
      { users: 50, courses: 100, enrollments: 500, seed: 7 },
      (p) => progress.push(p),
    );
  });

  const storedTerms = () =>
    queryAll({
      TableName: tables.terms,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'TERM' },
    });

  afterAll(async () => {
    await dropTables(client, prefix);
    client.destroy();
  });

  it('writes what it reports, with progress up to the total', () => {
    expect(summary).toMatchObject({ students: 50, instructors: 5, courses: 100, enrollments: 500 });
    const total = 50 + 5 + 1 + 100 + 500 + summary.semesters.length;
    expect(progress.at(-1)).toEqual({ table: 'terms', written: total, total });
  });

  it('stores a term per semester whose registration is open now', async () => {
    const terms = await storedTerms();
    expect(terms.map((t) => t.term_id)).toEqual([...summary.semesters].sort());
    const now = Date.now();
    for (const t of terms) {
      expect(Date.parse(t.registration_opens_at as string)).toBeLessThan(now);
      expect(Date.parse(t.add_deadline as string)).toBeGreaterThan(now);
    }
  });

  it('gives every course an enrolled_count equal to its enrollment rows, within capacity', async () => {
    const catalog = (
      await Promise.all(
        summary.semesters.map((s) =>
          queryAll({
            TableName: tables.courses,
            IndexName: GSI.coursesBySemester,
            KeyConditionExpression: 'semester_id = :s',
            ExpressionAttributeValues: { ':s': s },
          }),
        ),
      )
    ).flat();
    expect(catalog).toHaveLength(100);
    const courses = await batchGetAll(
      doc,
      tables.courses,
      catalog.map((c) => ({ course_id: c.course_id })),
    );
    let rows = 0;
    for (const course of courses) {
      const enrolled = await queryAll({
        TableName: tables.enrollments,
        IndexName: GSI.enrollmentsByCourse,
        KeyConditionExpression: 'course_id = :c',
        ExpressionAttributeValues: { ':c': course.course_id },
      });
      expect(course.enrolled_count).toBe(enrolled.length);
      expect(enrolled.length).toBeLessThanOrEqual(course.capacity as number);
      expect(new Set(enrolled.map((e) => e.user_id)).size).toBe(enrolled.length);
      rows += enrolled.length;
    }
    expect(rows).toBe(500);
  });

  it('writes students, instructors and the admin with their roles and addresses', async () => {
    const get = async (user_id: string) =>
      (await doc.send(new GetCommand({ TableName: tables.users, Key: { user_id } }))).Item;
    expect(await get('u00001')).toMatchObject({ role: 'student', email: 'u00001@example.edu' });
    expect(await get('u00050')).toMatchObject({ role: 'student' });
    expect(await get('i0005')).toMatchObject({ role: 'instructor', email: 'i0005@example.edu' });
    expect(await get('a0001')).toMatchObject({ role: 'admin' });
  });

  it('is detected by hasSeedData afterwards', async () => {
    expect(await hasSeedData(doc, tables)).toBe(true);
  });
});
