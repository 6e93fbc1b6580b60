// Per-student limits on registration writes, counted in Redis: 429 RATE_LIMITED with Retry-After.
import { NestExpressApplication } from '@nestjs/platform-express';
import { Redis } from 'ioredis';
import request from 'supertest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { startApp, studentAuth, testStack } from '@app/testing';
import { EnrollmentsModule } from '../src/enrollments.module';

const stack = testStack('rate_limit', { RATE_LIMIT_WRITES: '3', RATE_LIMIT_WINDOW_MS: '60000' });
const { doc, tables } = stack;

describe('rate limits on registration writes', () => {
  let app: NestExpressApplication;
  let redis: Redis;
  const as = studentAuth;
  const enroll = async (sub: string, courseId: string) =>
    request(app.getHttpServer())
      .post('/api/enrollments')
      .set(await as(sub))
      .send({ course_id: courseId });

  beforeAll(async () => {
    await stack.migrate();
    for (const n of [1, 2, 3, 4]) await stack.putCourse(`RL${n}-2026-FALL`);
    redis = new Redis(stack.env.REDIS_URL);
    app = await startApp(EnrollmentsModule);
  });

  afterAll(async () => {
    await app?.close();
    redis?.disconnect();
    await stack.drop();
  });

  it("refuses a student's writes past the limit with 429 RATE_LIMITED and Retry-After, changing nothing", async () => {
    for (const n of [1, 2, 3]) expect((await enroll('rl-a', `RL${n}-2026-FALL`)).status).toBe(201);
    const fourth = await enroll('rl-a', 'RL4-2026-FALL');
    expect({ status: fourth.status, code: fourth.body.code }).toEqual({
      status: 429,
      code: 'RATE_LIMITED',
    });
    expect(Number(fourth.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const row = await doc.send(
      new GetCommand({
        TableName: tables.enrollments,
        Key: { user_id: 'rl-a', course_id: 'RL4-2026-FALL' },
        ConsistentRead: true,
      }),
    );
    expect(row.Item).toBeUndefined();
    // Drops count too; reads do not.
    const drop = await request(app.getHttpServer())
      .delete('/api/enrollments/RL1-2026-FALL')
      .set(await as('rl-a'));
    expect(drop.status).toBe(429);
    expect(
      (
        await request(app.getHttpServer())
          .get('/api/enrollments/me')
          .set(await as('rl-a'))
      ).status,
    ).toBe(200);
  });

  it('counts per student, in Redis (shared by every instance), with a TTL', async () => {
    expect((await enroll('rl-b', 'RL4-2026-FALL')).status).toBe(201);
    const keys = await redis.keys(`${stack.env.CACHE_PREFIX}:rl:*`);
    expect(keys.some((k) => k.includes('user:rl-a'))).toBe(true);
    expect(keys.some((k) => k.includes('user:rl-b'))).toBe(true);
    for (const k of keys) expect(await redis.pttl(k)).toBeGreaterThan(0);
  });
});
