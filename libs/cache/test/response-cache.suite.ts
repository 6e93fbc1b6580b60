import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { tagKey } from '@app/cache/cache-keys';
import { CachedResponse, toCachedResponse } from '@app/cache/cached-response';
import { ResponseCache } from '@app/cache/response-cache';
import { TagVersions } from '@app/cache/tag-versions';
import { eventually, RedisTopology, startTestRedis, TestRedis, uniquePrefix } from '@app/testing';
import { FakeDb, startCacheTestApp } from './cache-test.app';

const INDEX_LAG_MS = 1500;

/** Stores are fire-and-forget: waits (bounded) until `keys` finds what one wrote. */
async function eventuallyStored(keys: () => Promise<string[]>): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((await keys()).length === 0) {
    if (Date.now() > deadline) throw new Error('the entry was never stored');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * The response cache's behaviour through HTTP, on a standalone Redis or a Redis Cluster: the same
 * spec, called by response-cache.int-spec.ts and response-cache.cluster.int-spec.ts.
 */
export const describeResponseCache = (topology: RedisTopology) =>
  describe(`response cache through HTTP (real Redis, ${topology})`, () => {
    const prefix = `test:${uniquePrefix('cache')}`;
    const disabledPrefix = `${prefix}-off`;
    const db = new FakeDb();
    // A generous read timeout: these specs prove keys, tags and single-flight, not fail-open (on a
    // busy machine a lookup slower than the default 50 ms would rightly bypass); fail-open.int-spec does.
    let redis: TestRedis;
    const env = {
      CACHE_PREFIX: prefix,
      CACHE_MAX_ENTRY_BYTES: '1024',
      CACHE_TIMEOUT_MS: '1000',
      CACHE_INDEX_LAG_MS: String(INDEX_LAG_MS),
    };
    let a: NestExpressApplication;
    let b: NestExpressApplication;
    let off: NestExpressApplication;
    const get = (app: NestExpressApplication, path: string, user?: string) => {
      const req = request(app.getHttpServer()).get(path);
      return user ? req.set('x-user', user) : req;
    };

    beforeAll(async () => {
      redis = await startTestRedis(topology);
      Object.assign(env, redis.env);
      // Two instances sharing Redis (like the courses and enrollments apps), and one with the cache off.
      a = await startCacheTestApp(db, env);
      b = await startCacheTestApp(db, env);
      off = await startCacheTestApp(db, {
        ...env,
        CACHE_PREFIX: disabledPrefix,
        CACHE_ENABLED: 'false',
      });
    });

    afterAll(async () => {
      await Promise.all([a, b, off].map((app) => app?.close()));
      await redis?.deleteKeys(`${prefix}:*`, `${disabledPrefix}:*`);
      await redis?.close();
    });

    it('misses, then hits with the identical body', async () => {
      const first = await get(a, '/t/courses/c1?x=1').expect(200);
      expect(first.headers['x-cache']).toBe('MISS');
      const second = await get(a, '/t/courses/c1?x=1').expect(200);
      expect(second.headers['x-cache']).toBe('HIT');
      expect(second.text).toBe(first.text);
      expect(second.headers['content-type']).toMatch(/^application\/json/);
      expect(db.callsOf('course')).toBe(1);
    });

    it('shares one entry whatever the order of the query parameters', async () => {
      expect((await get(a, '/t/courses/q1?a=1&b=2')).headers['x-cache']).toBe('MISS');
      expect((await get(a, '/t/courses/q1?b=2&a=1')).headers['x-cache']).toBe('HIT');
      expect((await get(a, '/t/courses/q1?b=2&a=1&c=3')).headers['x-cache']).toBe('MISS');
    });

    it('never serves one user the response cached for another', async () => {
      const alice = await get(a, '/t/me', 'alice').expect(200);
      expect(alice.headers['x-cache']).toBe('MISS');
      expect((await get(a, '/t/me', 'alice')).headers['x-cache']).toBe('HIT');
      const bob = await get(a, '/t/me', 'bob').expect(200);
      expect(bob.headers['x-cache']).toBe('MISS');
      expect(bob.body).toEqual({ sub: 'bob', secret: 'data of bob' });
      expect((await get(b, '/t/me', 'bob')).body.sub).toBe('bob');
    });

    it('does not cache a per-user route called without a user', async () => {
      const before = db.callsOf('me');
      for (let i = 0; i < 2; i++)
        expect((await get(a, '/t/me').expect(200)).headers['x-cache']).toBe('BYPASS');
      expect(db.callsOf('me')).toBe(before + 2);
    });

    it('invalidates by tag after a write, in this app and in another sharing Redis', async () => {
      await get(a, '/t/courses/e1');
      await get(b, '/t/courses/e1');
      expect((await get(a, '/t/courses/e1')).headers['x-cache']).toBe('HIT');
      expect((await get(b, '/t/courses/e1')).headers['x-cache']).toBe('HIT');

      await request(a.getHttpServer()).patch('/t/courses/e1').expect(200);

      // B drops its L1 copy when the tag bus delivers, or at CACHE_L1_TTL_MS (500 ms) at the latest.
      let fromB = await get(b, '/t/courses/e1');
      await eventually(async () => {
        if (fromB.body.version === 2) return true;
        fromB = await get(b, '/t/courses/e1');
        return false;
      }, 1500);
      expect(fromB.headers['x-cache']).toBe('MISS');
      expect(fromB.body.version).toBe(2);
      const fromA = await get(a, '/t/courses/e1');
      expect(fromA.headers['x-cache']).toBe('HIT'); // B's fresh entry, same key
      expect(fromA.body.version).toBe(2);
    });

    it('invalidates after 201 and 204 responses, not after a failed write', async () => {
      await get(a, '/t/courses/e2');
      await request(a.getHttpServer()).post('/t/courses').send({ id: 'e2' }).expect(201);
      expect((await get(a, '/t/courses/e2')).body).toMatchObject({ version: 2 });

      await request(a.getHttpServer()).delete('/t/courses/e2').expect(204);
      const afterDelete = await get(a, '/t/courses/e2');
      expect(afterDelete.headers['x-cache']).toBe('MISS');
      expect(afterDelete.body.version).toBe(3);

      await request(a.getHttpServer()).patch('/t/courses/e2?fail=1').expect(409);
      expect((await get(a, '/t/courses/e2')).headers['x-cache']).toBe('HIT');
    });

    it('never brings back old entries when a tag counter is lost (evicted, flushed)', async () => {
      await get(a, '/t/courses/e3');
      expect((await get(a, '/t/courses/e3')).headers['x-cache']).toBe('HIT');
      await redis.client.del(tagKey(prefix, 'course:e3'));
      // No bus message tells L1 of a counter lost in Redis: it sees the loss within CACHE_L1_TTL_MS.
      let seen = '';
      await eventually(async () => {
        seen = (await get(a, '/t/courses/e3')).headers['x-cache'];
        return seen === 'MISS';
      }, 2000);
      expect(seen).toBe('MISS');
      // A write to a tag nobody has read yet must not land on a version an old entry was built with.
      await redis.client.del(tagKey(prefix, 'course:e3'));
      await request(a.getHttpServer()).patch('/t/courses/e3').expect(200);
      expect(Number(await redis.client.get(tagKey(prefix, 'course:e3')))).toBeGreaterThan(1e15);
    });

    it('writes no key for a read, and never stores a load that a bump overtook', async () => {
      const cache = a.get(ResponseCache);
      const request = {
        name: 'race',
        scope: 'public' as const,
        vary: { id: 'r1' },
        tags: ['course:r1'],
      };
      const keysNow = () =>
        redis
          .keys(`${prefix}:*race*`)
          .then(async (e) => [...e, ...(await redis.keys(`${prefix}:tag:course:r1`))]);

      // A lookup of a tag nobody bumped is a miss and writes nothing.
      const first = await cache.lookup(request);
      expect(first.kind).toBe('miss');
      expect(await keysNow()).toEqual([]);

      // A write's invalidation lands while the (now stale) response is being loaded; then the load stores.
      await a.get(TagVersions).bump(['course:r1']);
      if (first.kind !== 'miss') throw new Error('expected a miss');
      cache.store(first.target, toCachedResponse(200, { stale: true }, 1024) as CachedResponse);
      await eventuallyStored(() => redis.keys(`${prefix}:e:race:*`));

      // The stale entry sits under a version no lookup computes; the next lookup misses and loads afresh.
      expect((await cache.lookup(request)).kind).toBe('miss');
    });

    it('stores a load that nothing overtook, creating its tag counter with a TTL', async () => {
      const cache = a.get(ResponseCache);
      const request = {
        name: 'fresh',
        scope: 'public' as const,
        vary: { id: 'f1' },
        tags: ['course:f1'],
      };
      const first = await cache.lookup(request);
      if (first.kind !== 'miss') throw new Error('expected a miss');
      cache.store(first.target, toCachedResponse(200, { fresh: true }, 1024) as CachedResponse);
      await eventuallyStored(() => redis.keys(`${prefix}:e:fresh:*`));
      expect(await cache.lookup(request)).toMatchObject({
        kind: 'hit',
        entry: { body: '{"fresh":true}' },
      });
      expect(await redis.client.pttl(tagKey(prefix, 'course:f1'))).toBeGreaterThan(0);
    });

    it('keeps a stale index read no longer than CACHE_INDEX_LAG_MS, not for the TTL', async () => {
      expect((await get(a, '/t/index/lag1')).body.version).toBe(1);
      expect((await get(a, '/t/index/lag1')).headers['x-cache']).toBe('HIT');

      // A write lands; the index keeps answering as before it for a while.
      db.lagUntil = Date.now() + 500;
      await request(a.getHttpServer()).patch('/t/courses/lag1').expect(200);
      const before = new Set(await redis.keys(`${prefix}:e:index:*`));
      const stale = await get(a, '/t/index/lag1');
      expect([stale.headers['x-cache'], stale.body.version]).toEqual(['MISS', 1]);
      const added = async () =>
        (await redis.keys(`${prefix}:e:index:*`)).filter((k) => !before.has(k));
      await eventuallyStored(added);

      // The stale answer is cached, but only for the lag window ...
      const [entry] = await added();
      expect(await redis.client.pttl(entry)).toBeGreaterThan(0);
      expect(await redis.client.pttl(entry)).toBeLessThanOrEqual(INDEX_LAG_MS);
      // ... after which the next read loads the index again, which has caught up by then.
      const deadline = Date.now() + 10 * INDEX_LAG_MS;
      let fresh = await get(a, '/t/index/lag1');
      while (fresh.body.version !== 2 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        fresh = await get(a, '/t/index/lag1');
      }
      expect(fresh.body.version).toBe(2);
    });

    it('caches an index read for its whole TTL when no tag was bumped lately', async () => {
      // Bumped long ago as far as the lag window goes: a counter that a store seeded, never bumped.
      const before = new Set(await redis.keys(`${prefix}:e:index:*`));
      expect((await get(a, '/t/index/calm1')).headers['x-cache']).toBe('MISS');
      const added = async () =>
        (await redis.keys(`${prefix}:e:index:*`)).filter((k) => !before.has(k));
      await eventuallyStored(added);
      await request(a.getHttpServer()).patch('/t/courses/calm2').expect(200); // another tag
      expect((await get(a, '/t/index/calm1')).headers['x-cache']).toBe('HIT');
      const [entry] = await added();
      expect(await redis.client.pttl(entry)).toBeGreaterThan(INDEX_LAG_MS);
    });

    it('does not cache error responses', async () => {
      for (let i = 0; i < 2; i++) {
        const res = await get(a, '/t/missing/m1').expect(404);
        expect(res.headers['x-cache']).toBe('MISS');
      }
      expect(db.callsOf('missing')).toBe(2);
    });

    it('does not cache a response above CACHE_MAX_ENTRY_BYTES', async () => {
      for (let i = 0; i < 2; i++) {
        expect((await get(a, '/t/big').expect(200)).headers['x-cache']).toBe('MISS');
        // Past the interceptor's single-flight linger, which shares a just-loaded result for 100 ms.
        await new Promise((r) => setTimeout(r, 150));
      }
      expect(db.callsOf('big')).toBe(2);
    });

    it('runs the handler once for 100 concurrent requests on a cold key', async () => {
      const url = await a.getUrl();
      const responses = await Promise.all(
        Array.from({ length: 100 }, () => request(url).get('/t/slow/s1')),
      );
      expect(db.callsOf('slow')).toBe(1);
      expect(responses.every((r) => r.status === 200)).toBe(true);
      // All joined the one load (MISS), or arrived after its entry was written (HIT).
      expect(responses.every((r) => ['MISS', 'HIT'].includes(r.headers['x-cache']))).toBe(true);
      expect(new Set(responses.map((r) => r.text)).size).toBe(1);
      expect((await get(a, '/t/slow/s1')).headers['x-cache']).toBe('HIT');
    });

    it('leaves routes without @Cacheable untouched', async () => {
      const res = await get(a, '/t/plain').expect(200);
      expect(res.headers['x-cache']).toBeUndefined();
    });

    it('with CACHE_ENABLED=false, bypasses and runs the handler every time, writing nothing to Redis', async () => {
      const before = db.callsOf('course');
      for (let i = 0; i < 3; i++) {
        expect((await get(off, '/t/courses/d1').expect(200)).headers['x-cache']).toBe('BYPASS');
      }
      expect(db.callsOf('course')).toBe(before + 3);
      expect(await redis.keys(`${disabledPrefix}:*`)).toEqual([]);
    });
  });
