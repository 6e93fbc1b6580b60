import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { ResponseCache } from '@app/cache/response-cache';
import { eventually, startTestRedis, TestRedis, uniquePrefix } from '@app/testing';
import { FakeDb, startCacheTestApp } from './cache-test.app';

/**
 * A dedicated redis-server, or a dedicated Redis Cluster, that the spec stops and starts again on
 * the same ports (the machine's Redis is left alone): called by fail-open.int-spec.ts and
 * fail-open.cluster.int-spec.ts.
 */
export const describeFailOpen = (topology: 'server' | 'cluster') => {
  // A refused connection fails at once. A cluster client that has not yet seen every master go
  // retries a closed node connection (100 ms apart, 3 redirections at most) until CACHE_TIMEOUT_MS
  // (250 ms here) gives up on it, and the breaker then skips Redis: bounded, but not at once.
  const maxLatencyMs = topology === 'server' ? 200 : 400;
  describe(`response cache fails open when Redis is down, and recovers by itself (${topology})`, () => {
    const db = new FakeDb();
    let redis: TestRedis;
    let app: NestExpressApplication;
    const get = (path: string) => request(app.getHttpServer()).get(path);

    beforeAll(async () => {
      redis = await startTestRedis(topology);
      app = await startCacheTestApp(db, {
        ...redis.env,
        CACHE_PREFIX: `test:${uniquePrefix('failopen')}`,
        // What Redis being down does to reads; an L1 hit (≤ CACHE_L1_TTL_MS old) needs no Redis.
        CACHE_L1_MAX_BYTES: '0',
      });
    });

    afterAll(async () => {
      await app?.close();
      await redis?.close();
    });

    it('serves from the handler within the timeout while Redis is down', async () => {
      expect((await get('/t/courses/f1')).headers['x-cache']).toBe('MISS');
      expect((await get('/t/courses/f1')).headers['x-cache']).toBe('HIT');

      await redis.stop();

      const before = db.callsOf('course');
      for (let i = 0; i < 20; i++) {
        const started = performance.now();
        const res = await get('/t/courses/f1').expect(200);
        expect(performance.now() - started).toBeLessThan(maxLatencyMs);
        expect(res.headers['x-cache']).toBe('BYPASS');
        expect(res.body).toMatchObject({ id: 'f1', version: 1 });
      }
      expect(db.callsOf('course')).toBe(before + 20);
      expect(await app.get(ResponseCache).ping()).toBe(false);

      // Writes keep working; the failed invalidation is logged, not thrown.
      await request(app.getHttpServer()).patch('/t/courses/f1').expect(200);
    });

    it('caches again once Redis is back, without restarting the app', async () => {
      await redis.start();
      let seen: string | undefined;
      await eventually(async () => {
        seen = (await get('/t/courses/f1')).headers['x-cache'];
        return seen !== 'BYPASS';
      }, 10_000);
      expect(seen).toBe('MISS');
      const res = await get('/t/courses/f1');
      expect(res.headers['x-cache']).toBe('HIT');
      expect(res.body.version).toBe(2);
      expect(await app.get(ResponseCache).ping()).toBe(true);
    });
  });
};
