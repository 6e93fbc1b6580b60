// The cache and the queues on two Redis servers (CACHE_REDIS_URL with allkeys-lru, QUEUE_REDIS_URL
// with noeviction): each kind of key lands on its own server only.
import { NestExpressApplication } from '@nestjs/platform-express';
import { Redis } from 'ioredis';
import request from 'supertest';
import {
  eventually,
  RedisServerHandle,
  startApp,
  startRedisServer,
  testStack,
  tokenFor,
} from '@app/testing';
import { EnrollmentsModule } from '../src/enrollments.module';

describe('cache and queues on separate Redis servers', () => {
  let cacheServer: RedisServerHandle;
  let queueServer: RedisServerHandle;
  let cacheRedis: Redis;
  let queueRedis: Redis;
  let app: NestExpressApplication;
  let stack: ReturnType<typeof testStack>;
  const keysOf = (redis: Redis, pattern: string) => redis.keys(pattern);

  beforeAll(async () => {
    [cacheServer, queueServer] = await Promise.all([startRedisServer(), startRedisServer()]);
    stack = testStack('split_redis', {
      REDIS_URL: cacheServer.url,
      CACHE_REDIS_URL: cacheServer.url,
      QUEUE_REDIS_URL: queueServer.url,
    });
    cacheRedis = new Redis(cacheServer.url);
    queueRedis = new Redis(queueServer.url);
    await stack.migrate();
    await stack.putCourse('SPLIT1-2026-FALL');
    app = await startApp(EnrollmentsModule);
  });

  afterAll(async () => {
    await app?.close();
    cacheRedis?.disconnect();
    queueRedis?.disconnect();
    await stack?.drop();
    await Promise.all([cacheServer?.stop(), queueServer?.stop()]);
  });

  it('puts the email job on the queue Redis and the cached list on the cache Redis, nothing across', async () => {
    const auth = {
      Authorization: `Bearer ${await tokenFor({ sub: 's1', role: 'student', email: 's1@example.edu' })}`,
    };
    const http = request(app.getHttpServer());
    await http
      .post('/api/enrollments')
      .set(auth)
      .send({ course_id: 'SPLIT1-2026-FALL' })
      .expect(201);
    await http.get('/api/enrollments/me').set(auth).expect(200);

    const queueKeys = `${stack.env.QUEUE_PREFIX}*`;
    const cacheKeys = `${stack.env.CACHE_PREFIX}:*`;
    let queued: string[] = [];
    await eventually(async () => (queued = await keysOf(queueRedis, queueKeys)).length > 0);
    let cached: string[] = [];
    await eventually(
      async () => (cached = await keysOf(cacheRedis, `${stack.env.CACHE_PREFIX}:e:*`)).length > 0,
    );
    expect(queued.some((k) => k.includes(':email:'))).toBe(true);
    expect(cached.length).toBeGreaterThan(0);
    expect(await keysOf(cacheRedis, queueKeys)).toEqual([]);
    expect(await keysOf(queueRedis, cacheKeys)).toEqual([]);
  });
});
