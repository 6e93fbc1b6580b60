// A student's own schedule and every base-table read that fills a cache entry are strongly
// consistent (DESIGN §10): on AWS an eventually consistent read, or any GSI read, may miss the write
// just made and cache the stale answer. DynamoDB Local is always consistent, so the spec checks what
// the app asks DynamoDB for, on the app's own client, as well as what it answers.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DYNAMODB_CLIENT } from '@app/data';
import { startApp, testStack, tokenFor } from '@app/testing';
import { EnrollmentsModule } from '../src/enrollments.module';

const stack = testStack('read_your_writes');
const STUDENT = 'ryw-student';
const COURSES = ['RYW1-2026-FALL', 'RYW2-2026-FALL', 'RYW3-2027-SPRING'];

type Sent = { command: string; input: Record<string, unknown> };

describe('read your own writes', () => {
  let app: NestExpressApplication;
  let sent: Sent[] = [];
  const auth = async (sub: string, role: 'student' | 'instructor' = 'student') => ({
    Authorization: `Bearer ${await tokenFor({ sub, role, email: `${sub}@example.edu` })}`,
  });
  const api = () => request(app.getHttpServer());
  const mine = async (query = '') =>
    api()
      .get(`/api/enrollments/me${query}`)
      .set(await auth(STUDENT));
  /** What the app sent to DynamoDB while `fn` ran. */
  const during = async (fn: () => Promise<unknown>): Promise<Sent[]> => {
    sent = [];
    await fn();
    return sent;
  };

  beforeAll(async () => {
    await stack.migrate();
    await stack.putCourse('RYW1-2026-FALL', { instructor_id: 'ryw-prof' });
    await stack.putCourse('RYW2-2026-FALL');
    await stack.putCourse('RYW3-2027-SPRING', { semester_id: '2027-SPRING' });
    await stack.putUser(STUDENT);
    app = await startApp(EnrollmentsModule);
    app.get<DynamoDBClient>(DYNAMODB_CLIENT).middlewareStack.add(
      (next, context) => async (args) => {
        sent.push({
          command: context.commandName as string,
          input: (args as unknown as { input: Record<string, unknown> }).input,
        });
        return next(args);
      },
      { step: 'initialize', name: 'readYourWritesSpecRecorder' },
    );
  });

  afterAll(async () => {
    await app?.close();
    await stack.drop();
  });

  it('serves "my enrollments" from one consistent Query of the base table, never a GSI', async () => {
    expect((await mine()).body.items).toEqual([]); // cached as empty
    for (const id of COURSES) {
      const res = await api()
        .post('/api/enrollments')
        .set(await auth(STUDENT))
        .send({ course_id: id });
      expect(res.status).toBe(201);
      // The next read sees the enroll just made (the cache entry was invalidated by it).
      const calls = await during(async () => {
        const after = await mine();
        expect(after.body.items.map((e: { course_id: string }) => e.course_id)).toContain(id);
      });
      const queries = calls.filter((c) => c.command === 'QueryCommand');
      expect(queries).toHaveLength(1);
      expect(queries[0].input).toMatchObject({
        TableName: stack.tables.enrollments,
        ConsistentRead: true,
      });
      expect(queries[0].input.IndexName).toBeUndefined();
    }
  });

  it('filters one semester and pages through the rows in course order', async () => {
    const fall = await mine('?semester_id=2026-FALL');
    expect(fall.body.items.map((e: { course_id: string }) => e.course_id)).toEqual([
      'RYW1-2026-FALL',
      'RYW2-2026-FALL',
    ]);
    const first = await mine('?limit=2');
    expect(first.body.items).toHaveLength(2);
    const second = await mine(`?limit=2&cursor=${encodeURIComponent(first.body.next_cursor)}`);
    expect(
      [...first.body.items, ...second.body.items].map((e: { course_id: string }) => e.course_id),
    ).toEqual([...COURSES].sort());
  });

  it('shows a drop on the next read', async () => {
    const drop = await api()
      .delete('/api/enrollments/RYW2-2026-FALL')
      .set(await auth(STUDENT));
    expect(drop.status).toBe(204);
    const after = await mine();
    expect(after.body.items.map((e: { course_id: string }) => e.course_id)).toEqual([
      'RYW1-2026-FALL',
      'RYW3-2027-SPRING',
    ]);
  });

  it('fills the roster total and the profile from consistent reads of the base tables', async () => {
    const roster = await during(async () => {
      const res = await api()
        .get('/api/courses/RYW1-2026-FALL/enrollments')
        .set(await auth('ryw-prof', 'instructor'));
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(1);
    });
    const seatRead = roster.filter(
      (c) => c.command === 'GetItemCommand' && c.input.TableName === stack.tables.courses,
    );
    expect(seatRead.length).toBeGreaterThan(0);
    for (const c of seatRead) expect(c.input.ConsistentRead).toBe(true);

    const profile = await during(async () => {
      const res = await api()
        .get('/api/auth/me')
        .set(await auth(STUDENT));
      expect(res.status).toBe(200);
    });
    const userRead = profile.filter((c) => c.input.TableName === stack.tables.users);
    expect(userRead).toEqual([
      expect.objectContaining({
        command: 'GetItemCommand',
        input: expect.objectContaining({ ConsistentRead: true }),
      }),
    ]);
  });
});
