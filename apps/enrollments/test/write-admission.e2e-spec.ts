// Admission control: with DynamoDB slow, writes beyond DYNAMODB_MAX_INFLIGHT_WRITES wait at most
// WRITE_QUEUE_TIMEOUT_MS and are then refused with 503 OVERLOADED, before anything reached DynamoDB.
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DYNAMODB_CLIENT } from '@app/data';
import { injectDynamoDbFaults, startApp, testStack, tokenFor } from '@app/testing';
import { EnrollmentsModule } from '../src/enrollments.module';

const QUEUE_TIMEOUT_MS = 200;
const DELAY_MS = 1500;
const stack = testStack('admission', {
  DYNAMODB_MAX_INFLIGHT_WRITES: '2',
  WRITE_QUEUE_TIMEOUT_MS: String(QUEUE_TIMEOUT_MS),
});
const { doc, tables } = stack;
const COURSE = 'ADM1-2026-FALL';

describe('write admission control', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    await stack.migrate();
    await stack.putCourse(COURSE, { capacity: 30 });
    app = await startApp(EnrollmentsModule);
  });

  afterAll(async () => {
    await app?.close();
    await stack.drop();
  });

  it('refuses the writes that cannot start in time with 503 OVERLOADED, having written nothing for them', async () => {
    const faults = injectDynamoDbFaults(app.get<DynamoDBClient>(DYNAMODB_CLIENT), {
      command: 'TransactWriteItemsCommand',
      fault: 'Delay',
      delayMs: DELAY_MS,
    });
    const students = Array.from({ length: 6 }, (_, i) => `adm-${i}`);
    const http = request(app.getHttpServer());
    const answers = await Promise.all(
      students.map(async (sub) => {
        const token = await tokenFor({ sub, role: 'student', email: `${sub}@example.edu` });
        const res = await http
          .post('/api/enrollments')
          .set({ Authorization: `Bearer ${token}` })
          .send({ course_id: COURSE });
        return { sub, res, at: performance.now() };
      }),
    );
    faults.remove();

    const admitted = answers.filter((a) => a.res.status === 201);
    const refused = answers.filter((a) => a.res.status === 503);
    expect([admitted.length, refused.length]).toEqual([2, 4]);
    // Refused at the queue timeout, not after waiting for the slow writes ahead of them: every
    // refusal is answered before the first admitted write (held DELAY_MS in DynamoDB) comes back.
    // An order, not a duration, so a loaded machine cannot fail it.
    const firstAdmitted = Math.min(...admitted.map((a) => a.at));
    for (const { res, at } of refused) {
      expect(res.body.code).toBe('OVERLOADED');
      expect(res.headers['retry-after']).toBe('1');
      expect(at).toBeLessThan(firstAdmitted);
    }
    // Nothing of the refused reached DynamoDB: 2 transactions, 2 seats, no row for the others.
    expect(faults.calls).toBe(2);
    const course = await doc.send(
      new GetCommand({
        TableName: tables.courses,
        Key: { course_id: COURSE },
        ConsistentRead: true,
      }),
    );
    expect(course.Item?.enrolled_count).toBe(2);
    for (const { sub } of refused) {
      const row = await doc.send(
        new GetCommand({
          TableName: tables.enrollments,
          Key: { user_id: sub, course_id: COURSE },
          ConsistentRead: true,
        }),
      );
      expect(row.Item).toBeUndefined();
    }
  });

  it('admits writes again once the slow ones are done', async () => {
    const token = await tokenFor({ sub: 'adm-later', role: 'student' });
    const res = await request(app.getHttpServer())
      .post('/api/enrollments')
      .set({ Authorization: `Bearer ${token}` })
      .send({ course_id: COURSE });
    expect(res.status).toBe(201);
  });
});
