import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import {
  freePort,
  RedisServerHandle,
  SmtpSink,
  startRedisServer,
  startSmtpSink,
} from '@app/local-stack';
import { eventually, startApp, testStack, tokenFor } from '@app/testing';
import { EnrollmentsModule } from '../apps/enrollments/src/enrollments.module';
import { NotificationsModule } from '../apps/notifications/src/notifications.module';

// A dedicated redis-server that this test stops and restarts; the machine's Redis is left alone.
const stack = testStack('resilience', {
  OUTBOX_RELAY_INTERVAL_MS: '300',
  OUTBOX_RELAY_GRACE_MS: '1000',
});

describe('enrollment survives slow SMTP and a Redis outage', () => {
  let redisPort: number;
  let redis: RedisServerHandle;
  let sink: SmtpSink;
  let enrollments: NestExpressApplication;
  let notifications: NestExpressApplication;
  let http: ReturnType<typeof request>;
  const mailsTo = (address: string) => sink.messages.filter((m) => m.to.includes(address));
  const enroll = async (sub: string, courseId: string) =>
    http
      .post('/api/enrollments')
      .set({
        Authorization: `Bearer ${await tokenFor({ sub, role: 'student', email: `${sub}@example.edu` })}`,
      })
      .send({ course_id: courseId });

  beforeAll(async () => {
    redisPort = await freePort();
    redis = await startRedisServer({ port: redisPort });
    process.env.REDIS_URL = redis.url;
    sink = await startSmtpSink({ acceptDelayMs: 2000 });
    process.env.SMTP_URL = sink.url;
    await stack.migrate();
    await Promise.all(
      ['SLOW1-2026-FALL', 'DOWN1-2026-FALL'].map((id) => stack.putCourse(id, { capacity: 5 })),
    );
    enrollments = await startApp(EnrollmentsModule);
    notifications = await startApp(NotificationsModule);
    http = request(enrollments.getHttpServer());
  });

  afterAll(async () => {
    await enrollments?.close();
    await notifications?.close();
    await sink?.stop();
    await redis?.stop();
    await stack.drop();
  });

  it('the 201 does not wait for an SMTP server that takes 2 s to accept', async () => {
    const started = Date.now();
    const res = await enroll('slow-smtp', 'SLOW1-2026-FALL');
    const elapsed = Date.now() - started;
    expect(res.status).toBe(201);
    expect(elapsed).toBeLessThan(1500);
    await eventually(() => mailsTo('slow-smtp@example.edu').length > 0, 15_000);
    expect(mailsTo('slow-smtp@example.edu')).toHaveLength(1);
  });

  it('with Redis down the enrollment still commits, and its email arrives once Redis is back', async () => {
    await redis.stop();
    const res = await enroll('no-redis', 'DOWN1-2026-FALL');
    expect(res.status).toBe(201);
    expect(mailsTo('no-redis@example.edu')).toHaveLength(0);

    redis = await startRedisServer({ port: redisPort });
    await eventually(() => mailsTo('no-redis@example.edu').length > 0, 30_000);
    expect(mailsTo('no-redis@example.edu')).toHaveLength(1);
  });
});
