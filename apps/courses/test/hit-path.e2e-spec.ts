// The hit path (DESIGN §11): a public cached GET that hits is answered with the stored bytes and
// validators before Express (its router and app-wide middleware) and Nest run at all; everything
// else goes through them unchanged. Observed on the real courses app, DynamoDB Local and Redis.
import { NestExpressApplication } from '@nestjs/platform-express';
import { Redis } from 'ioredis';
import request from 'supertest';
import { ResponseCacheInterceptor } from '@app/cache/cache.interceptor';
import { HitRoutes } from '@app/cache/hit-path/hit-routes';
import { CACHE_REDIS } from '@app/cache/cache.tokens';
import { ResponseCache } from '@app/cache/response-cache';
import { eventually, startApp, testStack, tokenFor } from '@app/testing';
import { CoursesModule } from '../src/courses.module';

const stack = testStack('hit_path');
const LIST = '/api/courses?semester_id=2026-FALL';
const DETAIL = '/api/courses/HIT1-2026-FALL';

describe('cache hits answered before Nest', () => {
  let app: NestExpressApplication;
  let redis: Redis;
  let http: ReturnType<typeof request>;
  const intercepted = jest.spyOn(ResponseCacheInterceptor.prototype, 'intercept');

  /** The `cache_early_hits_total` sample of a route, from /metrics. */
  const earlyHits = async (name: string): Promise<number> => {
    const text = (await http.get('/metrics')).text;
    const line = text
      .split('\n')
      .find((l) => l.startsWith('cache_early_hits_total{') && l.includes(`name="${name}"`));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  /** How many 200s of a route the request-duration histogram has timed, from /metrics. */
  const timedOk = async (route: string): Promise<number> => {
    const line = (await http.get('/metrics')).text
      .split('\n')
      .find(
        (l) =>
          l.startsWith('http_request_duration_seconds_count{') &&
          l.includes(`route="${route}"`) &&
          l.includes('status="200"'),
      );
    return line ? Number(line.split(' ').pop()) : 0;
  };
  let expressHandled: jest.SpyInstance;
  /** GETs `path` and says whether Express and Nest's cache interceptor ran for it. */
  const get = async (path: string, headers: Record<string, string> = {}) => {
    intercepted.mockClear();
    expressHandled.mockClear();
    const res = await http.get(path).set(headers);
    return {
      res,
      throughNest: intercepted.mock.calls.length > 0,
      throughExpress: expressHandled.mock.calls.length > 0,
    };
  };

  beforeAll(async () => {
    await stack.migrate();
    await stack.putCourse('HIT1-2026-FALL');
    await stack.putCourse('HIT2-2026-FALL', { department_id: 'MATH' });
    redis = new Redis(stack.env.REDIS_URL);
    app = await startApp(CoursesModule);
    // The Express app on the server calls its own `handle` for every request it is given.
    expressHandled = jest.spyOn(
      app.getHttpAdapter().getInstance() as unknown as { handle: () => void },
      'handle',
    );
    http = request(app.getHttpServer());
  });

  afterAll(async () => {
    intercepted.mockRestore();
    expressHandled?.mockRestore();
    redis?.disconnect();
    await app?.close();
    await stack.drop();
  });

  it('lists the public cached GETs of the app, and no other route', () => {
    expect(
      app
        .get(HitRoutes)
        .list()
        .map((r) => r.options.name)
        .sort(),
    ).toEqual(['course-detail', 'courses-by-instructor', 'courses-by-semester', 'term', 'terms']);
  });

  it('serves a hit with the bytes, ETag, length and Cache-Control of the miss, without Express or Nest', async () => {
    for (const path of [LIST, DETAIL]) {
      const miss = await get(path);
      expect(miss.res.headers['x-cache']).toBe('MISS');
      expect(miss.throughNest).toBe(true);
      expect(miss.throughExpress).toBe(true);
      const name = path === LIST ? 'courses-by-semester' : 'course-detail';
      const route = path === LIST ? '/api/courses' : '/api/courses/:course_id';
      const before = await earlyHits(name);
      const timedBefore = await timedOk(route);

      const hit = await get(path);
      expect(hit.throughNest).toBe(false);
      expect(hit.throughExpress).toBe(false);
      // The app-wide middleware did not run, but what it adds is there: helmet's headers, the metric.
      for (const header of [
        'x-content-type-options',
        'x-frame-options',
        'referrer-policy',
        'content-security-policy',
        'strict-transport-security',
      ]) {
        expect(hit.res.headers[header]).toBe(miss.res.headers[header]);
        expect(hit.res.headers[header]).toBeDefined();
      }
      expect(hit.res.headers['x-powered-by']).toBeUndefined();
      expect(timedBefore).toBeGreaterThan(0); // the miss, timed by Express's middleware
      expect(await timedOk(route)).toBe(timedBefore + 1);
      expect(hit.res.status).toBe(200);
      expect(hit.res.headers).toMatchObject({
        'x-cache': 'HIT',
        etag: miss.res.headers.etag,
        'content-length': miss.res.headers['content-length'],
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'public, max-age=0',
      });
      expect(miss.res.headers['cache-control']).toBe('public, max-age=0');
      expect(hit.res.text).toBe(miss.res.text);
      expect(await earlyHits(name)).toBe(before + 1);
    }
  });

  it('answers a URL seen before from L1 alone: no lookup, no Redis command', async () => {
    const path = '/api/courses?semester_id=2026-FALL&department_id=MATH';
    const lookup = jest.spyOn(ResponseCache.prototype, 'lookup');
    const held = jest.spyOn(ResponseCache.prototype, 'held');
    const cacheRedis = app.get<Redis>(CACHE_REDIS);
    const sent = jest.spyOn(cacheRedis, 'sendCommand');
    try {
      expect((await get(path)).res.headers['x-cache']).toBe('MISS');
      // The first hit reads Redis (and fills L1); the shape is known from then on.
      const first = await get(path);
      expect(first.res.headers['x-cache']).toBe('HIT');
      lookup.mockClear();
      held.mockClear();
      sent.mockClear();

      const again = await get(path);
      expect(again.throughExpress).toBe(false);
      expect(again.res.headers['x-cache']).toBe('HIT');
      expect(again.res.text).toBe(first.res.text);
      expect(again.res.headers.etag).toBe(first.res.headers.etag);
      // The stored page, before the seats are merged into it.
      expect(held).toHaveReturnedWith(expect.objectContaining({ status: 200 }));
      expect(lookup).not.toHaveBeenCalled();
      expect(sent).not.toHaveBeenCalled();
    } finally {
      lookup.mockRestore();
      held.mockRestore();
      sent.mockRestore();
    }
  });

  it('answers If-None-Match with 304 and no body, on the hit path and through Nest alike', async () => {
    const { res: fresh } = await get(DETAIL);
    const etag = fresh.headers.etag;
    expect(etag).toMatch(/^W\/"/);

    const early = await get(DETAIL, { 'If-None-Match': etag });
    expect(early.throughNest).toBe(false);
    expect(early.throughExpress).toBe(false);
    expect(early.res.status).toBe(304);
    expect(early.res.text).toBe('');
    expect(early.res.headers.etag).toBe(etag);

    // A miss (the entry is gone): Nest loads, and Express checks the validator.
    const entries = await redis.keys(`${stack.env.CACHE_PREFIX}:e:course-detail:*`);
    expect(entries).toHaveLength(1);
    await redis.del(entries[0]);
    // This instance's L1 still holds the entry, for at most CACHE_L1_TTL_MS.
    let miss: Awaited<ReturnType<typeof get>> | undefined;
    await eventually(async () => {
      miss = await get(DETAIL, { 'If-None-Match': etag });
      return miss.throughNest;
    }, 2000);
    expect(miss?.throughNest).toBe(true);
    expect(miss!.res.headers['x-cache']).toBe('MISS');
    expect(miss!.res.status).toBe(304);

    const other = await get(DETAIL, { 'If-None-Match': 'W/"0-stale"' });
    expect(other.res.status).toBe(200);
  });

  it('keys a hit on the validated query, and leaves bad requests to Nest', async () => {
    await get(LIST); // warm
    const sameEntry = await get(`${LIST}&limit=20`); // 20 is the default
    expect(sameEntry.throughNest).toBe(false);
    expect(sameEntry.res.headers['x-cache']).toBe('HIT');

    const bad = await get('/api/courses?semester_id=2026-FALL&limit=abc');
    expect(bad.res.status).toBe(400);
    expect(bad.res.body.code).toBe('VALIDATION_FAILED');
    const unknown = await get(`${LIST}&nc=123`);
    expect(unknown.res.status).toBe(400);
    const badId = await get('/api/courses/%E0%A4%A');
    expect(badId.throughNest || badId.res.status === 400).toBe(true);
    expect(badId.res.status).toBeGreaterThanOrEqual(400);
    expect(badId.res.status).toBeLessThan(500);
  });

  it('hands a request with a token to Nest, which keeps it private', async () => {
    await get(DETAIL); // warm
    const token = await tokenFor({ sub: 'hp-student', role: 'student' });
    const withToken = await get(DETAIL, { Authorization: `Bearer ${token}` });
    expect(withToken.throughNest).toBe(true);
    expect(withToken.res.headers['x-cache']).toBe('HIT');
    expect(withToken.res.headers['cache-control']).toBe('private, no-store');

    const badToken = await get(DETAIL, { Authorization: 'Bearer nope' });
    expect(badToken.res.status).toBe(401);
  });
});
