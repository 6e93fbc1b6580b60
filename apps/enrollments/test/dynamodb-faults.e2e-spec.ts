// What AWS does and DynamoDB Local never does (conflicts, throttling, unprocessed batch keys),
// injected into the enrollments app's own DynamoDB client: retried within the budget, then a 503
// with Retry-After; never a 500, never a double seat, never a lost or extra outbox event.
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DYNAMODB_CLIENT, OutboxRepository } from '@app/data';
import {
  FaultPlan,
  freePort,
  InjectedFaults,
  injectDynamoDbFaults,
  startApp,
  studentAuth,
  testStack,
  withEnv,
} from '@app/testing';
import { EnrollmentsModule } from '../src/enrollments.module';

const BUDGET_MS = 400;
const stack = testStack('faults', { DYNAMODB_RETRY_BUDGET_MS: String(BUDGET_MS) });
const { doc, tables } = stack;

describe('enrollments under injected DynamoDB faults', () => {
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;
  let faults: InjectedFaults | undefined;
  let restoreEnv: (() => void) | undefined;
  const inject = (plan: FaultPlan) => {
    faults?.remove();
    faults = injectDynamoDbFaults(app.get<DynamoDBClient>(DYNAMODB_CLIENT), plan);
    return faults;
  };
  const auth = studentAuth;
  const enroll = async (sub: string, courseId: string, key?: string) =>
    http
      .post('/api/enrollments')
      .set({ ...(await auth(sub)), ...(key ? { 'Idempotency-Key': key } : {}) })
      .send({ course_id: courseId });
  /** What the data says: the seat counter, the student's row, and the outbox events for them. */
  const stored = async (sub: string, courseId: string) => {
    const course = await doc.send(
      new GetCommand({
        TableName: tables.courses,
        Key: { course_id: courseId },
        ConsistentRead: true,
      }),
    );
    const row = await doc.send(
      new GetCommand({
        TableName: tables.enrollments,
        Key: { user_id: sub, course_id: courseId },
        ConsistentRead: true,
      }),
    );
    const events = await app.get(OutboxRepository).listPending({ olderThanMs: 0, limit: 1000 });
    return {
      enrolled: course.Item?.enrolled_count as number,
      row: row.Item !== undefined,
      events: events
        .filter((e) => e.user_id === sub && e.course_id === courseId)
        .map((e) => e.type),
    };
  };
  const expectUnavailable = (res: request.Response) => {
    expect({ status: res.status, code: res.body.code }).toEqual({
      status: 503,
      code: 'DEPENDENCY_UNAVAILABLE',
    });
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  };

  beforeAll(async () => {
    await stack.migrate();
    for (const n of [1, 2, 3, 4, 5]) await stack.putCourse(`FLT${n}-2026-FALL`, { capacity: 5 });
    // No queue: every outbox event stays pending, in the OutboxPending index `stored` reads.
    restoreEnv = withEnv({ QUEUE_REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    app = await startApp(EnrollmentsModule);
    http = request(app.getHttpServer());
  });

  afterEach(() => {
    faults?.remove();
    faults = undefined;
  });

  afterAll(async () => {
    await app?.close();
    restoreEnv?.();
    await stack.drop();
  });

  it('retries transaction conflicts: three conflicts, then one seat, one row, one event', async () => {
    const injected = inject({
      command: 'TransactWriteItemsCommand',
      fault: 'TransactionConflict',
      times: 3,
    });
    expect((await enroll('s-conflict', 'FLT1-2026-FALL')).status).toBe(201);
    expect(injected.count).toBe(3);
    expect(await stored('s-conflict', 'FLT1-2026-FALL')).toEqual({
      enrolled: 1,
      row: true,
      events: ['enrollment.created'],
    });
  });

  it.each(['TransactionConflict', 'ThrottlingError'] as const)(
    'past the retry budget a %s is 503 DEPENDENCY_UNAVAILABLE with Retry-After, and nothing is written',
    async (fault) => {
      inject({ command: 'TransactWriteItemsCommand', fault });
      const started = Date.now();
      expectUnavailable(await enroll(`s-${fault}`, 'FLT2-2026-FALL'));
      // The budget bounds the wait (plus one request's time), far below the SDK's timeouts.
      expect(Date.now() - started).toBeLessThan(BUDGET_MS + 2000);
      expect(await stored(`s-${fault}`, 'FLT2-2026-FALL')).toEqual({
        enrolled: 0,
        row: false,
        events: [],
      });
    },
  );

  it('a drop that keeps conflicting is 503 and keeps the enrollment, its seat and no drop event', async () => {
    expect((await enroll('s-drop', 'FLT3-2026-FALL')).status).toBe(201);
    inject({ command: 'TransactWriteItemsCommand', fault: 'TransactionConflict' });
    expectUnavailable(
      await http.delete('/api/enrollments/FLT3-2026-FALL').set(await auth('s-drop')),
    );
    expect(await stored('s-drop', 'FLT3-2026-FALL')).toEqual({
      enrolled: 1,
      row: true,
      events: ['enrollment.created'],
    });
  });

  it.each([
    'ProvisionedThroughputExceededException',
    'ThrottlingException',
    'RequestLimitExceeded',
  ] as const)(
    'the SDK retries %s; if it persists the answer is 503 with Retry-After, never a 500',
    async (fault) => {
      const injected = inject({ command: 'TransactWriteItemsCommand', fault });
      expectUnavailable(await enroll(`s-${fault}`, 'FLT4-2026-FALL'));
      expect(injected.count).toBeGreaterThanOrEqual(2); // the SDK's standard mode tried again
      expect((await stored(`s-${fault}`, 'FLT4-2026-FALL')).row).toBe(false);
    },
  );

  it('a throttled attempt the SDK retries once is invisible to the caller', async () => {
    const injected = inject({
      command: 'TransactWriteItemsCommand',
      fault: 'ThrottlingException',
      times: 1,
    });
    expect((await enroll('s-once', 'FLT4-2026-FALL')).status).toBe(201);
    expect(injected.count).toBe(1);
  });

  it('retries BatchGet keys left unprocessed; when they stay unprocessed, 503 instead of 500', async () => {
    expect((await enroll('s-batch', 'FLT5-2026-FALL')).status).toBe(201);
    inject({ command: 'BatchGetItemCommand', fault: 'UnprocessedKeys', times: 2 });
    const mine = await http.get('/api/enrollments/me').set(await auth('s-batch'));
    expect(mine.status).toBe(200);
    expect(
      mine.body.items.map((e: { course: { course_id: string } }) => e.course.course_id),
    ).toEqual(['FLT5-2026-FALL']);

    // A second enrollment invalidates the cached list, so the next read reaches DynamoDB again.
    // (The enroll reads the student's schedule with a BatchGet too: the fault comes after it.)
    expect((await enroll('s-batch', 'FLT1-2026-FALL')).status).toBe(201);
    inject({ command: 'BatchGetItemCommand', fault: 'UnprocessedKeys' });
    expectUnavailable(await http.get('/api/enrollments/me').set(await auth('s-batch')));
  });

  it('a 503 may be retried with the same Idempotency-Key: one enrollment, then its replay', async () => {
    inject({ command: 'TransactWriteItemsCommand', fault: 'TransactionConflict' });
    expect((await enroll('s-idem', 'FLT2-2026-FALL', 'retry-after-503-key')).status).toBe(503);
    faults?.remove();
    const retried = await enroll('s-idem', 'FLT2-2026-FALL', 'retry-after-503-key');
    const again = await enroll('s-idem', 'FLT2-2026-FALL', 'retry-after-503-key');
    expect([retried.status, again.status, again.headers['idempotent-replayed']]).toEqual([
      201,
      201,
      'true',
    ]);
    expect(await stored('s-idem', 'FLT2-2026-FALL')).toEqual({
      enrolled: 1,
      row: true,
      events: ['enrollment.created'],
    });
  });
});
