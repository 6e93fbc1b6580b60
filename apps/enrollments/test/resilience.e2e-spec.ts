import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { validateEnv } from '@app/common';
import { createDynamoDbClients, dropTables, migrate, tableNames } from '@app/data';
import { freePort, RedisServerHandle, SmtpSink, startRedisServer, startSmtpSink } from '@app/local-stack';
import { EnrollmentsModule } from '../src/enrollments.module';
import { NotificationsModule } from '../../notifications/src/notifications.module';
import { eventually, startApp, TEST_JWT_SECRET, tokenFor } from '../../../test/support/app';
import { uniquePrefix } from '../../../test/support';

// A dedicated redis-server that this test stops and restarts; the machine's Redis is left alone.
const prefix = uniquePrefix('resilience');
Object.assign(process.env, {
  TABLE_PREFIX: `${prefix}_`,
  CACHE_PREFIX: `test:${prefix}`,
  QUEUE_PREFIX: `{test-${prefix}}`,
  JWT_SECRET: TEST_JWT_SECRET,
  LOG_LEVEL: 'fatal',
  OUTBOX_RELAY_INTERVAL_MS: '300',
  OUTBOX_RELAY_GRACE_MS: '1000',
});
const env = validateEnv(process.env);
const { client, doc } = createDynamoDbClients({
  endpoint: env.DYNAMODB_ENDPOINT,
  region: env.AWS_REGION,
  accessKeyId: env.AWS_ACCESS_KEY_ID,
  secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
  tablePrefix: env.TABLE_PREFIX,
  maxSockets: 16,
  timeoutMs: 5000,
  maxAttempts: 3,
});
const tables = tableNames(env.TABLE_PREFIX);

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
      .set({ Authorization: `Bearer ${await tokenFor({ sub, role: 'student', email: `${sub}@example.edu` })}` })
      .send({ course_id: courseId });

  beforeAll(async () => {
    redisPort = await freePort();
    redis = await startRedisServer({ port: redisPort });
    process.env.REDIS_URL = redis.url;
    sink = await startSmtpSink({ acceptDelayMs: 2000 });
    process.env.SMTP_URL = sink.url;
    await migrate(client, env.TABLE_PREFIX);
    for (const id of ['SLOW1-2026-FALL', 'DOWN1-2026-FALL']) {
      await doc.send(
        new PutCommand({
          TableName: tables.courses,
          Item: {
            course_id: id,
            course_code: id.split('-')[0],
            title: `Course ${id}`,
            semester_id: '2026-FALL',
            department_id: 'CS',
            instructor_id: 'i1',
            capacity: 5,
            credits: 3,
            enrolled_count: 0,
            dept_code: `CS#${id}`,
            semester_code: `2026-FALL#${id}`,
            created_at: new Date().toISOString(),
            updated_at: new Date().toISOString(),
            version: 1,
          },
        }),
      );
    }
    enrollments = await startApp(EnrollmentsModule);
    notifications = await startApp(NotificationsModule);
    http = request(enrollments.getHttpServer());
  });

  afterAll(async () => {
    await enrollments?.close();
    await notifications?.close();
    await sink?.stop();
    await redis?.stop();
    await dropTables(client, env.TABLE_PREFIX);
    client.destroy();
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
