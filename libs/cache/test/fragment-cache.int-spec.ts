// FragmentCache on the machine's Redis: per-id fragments stored under their tag's version, reloaded
// only for the ids whose tag was bumped, one load for concurrent misses, and a hot caller's repeat
// answered without per-id work until something is dropped.
import { Module } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { AppConfigModule } from '@app/common';
import { AppCacheModule } from '@app/cache';
import { FragmentCache, FragmentRequest } from '@app/cache/fragment-cache';
import { ResponseCache } from '@app/cache/response-cache';
import { startTestRedis, TestRedis, uniquePrefix, withEnv } from '@app/testing';

describe('FragmentCache (real Redis)', () => {
  const prefix = `test:${uniquePrefix('fragments')}`;
  let redis: TestRedis;
  let app: NestExpressApplication;
  let sut: FragmentCache;
  const loads: string[][] = [];
  const text = new Map<string, string>();
  const request = (ids: readonly string[]): FragmentRequest => ({
    name: 'seats',
    ids,
    tagOf: (id) => `seats:${id}`,
    ttlMs: 60_000,
    load: async (asked) => {
      loads.push(asked);
      await new Promise((r) => setTimeout(r, 30));
      return new Map(asked.filter((id) => text.has(id)).map((id) => [id, text.get(id)!]));
    },
  });
  /** Fragments are stored fire-and-forget: reads until the ids come from Redis, not a load. */
  const settled = async (ids: readonly string[]) => {
    for (let i = 0; i < 50; i++) {
      const before = loads.length;
      await sut.getMany(request([...ids]));
      if (loads.length === before) return;
    }
    throw new Error('the fragments were never stored');
  };

  beforeAll(async () => {
    redis = await startTestRedis('machine');
    app = await withEnv(
      { LOG_LEVEL: 'fatal', CACHE_PREFIX: prefix, CACHE_TIMEOUT_MS: '1000', ...redis.env },
      async () => {
        @Module({ imports: [AppConfigModule.forRoot(), AppCacheModule] })
        class FragmentTestModule {}
        const moduleRef = await Test.createTestingModule({
          imports: [FragmentTestModule],
        }).compile();
        const nest = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
        await nest.init();
        return nest;
      },
    );
    sut = app.get(FragmentCache);
  });

  afterAll(async () => {
    await app?.close();
    await redis?.deleteKeys(`${prefix}:*`);
    await redis?.close();
  });

  it('loads what it lacks once, then serves it from the cache; unknown ids get nothing', async () => {
    text.set('a', 'A1').set('b', 'B1');
    const first = await sut.getMany(request(['a', 'b', 'zz', 'a']));
    expect(loads).toEqual([['a', 'b', 'zz']]);
    expect([...first]).toEqual([
      ['a', 'A1'],
      ['b', 'B1'],
    ]);
    await settled(['a', 'b']);
    text.set('a', 'A-changed-without-a-bump');
    const again = await sut.getMany(request(['a', 'b']));
    expect(again.get('a')).toBe('A1');
  });

  it('reloads only the ids whose tag was bumped', async () => {
    await settled(['a', 'b']);
    text.set('a', 'A2');
    loads.length = 0;
    await app.get(ResponseCache).invalidate(['seats:a']);
    const out = await sut.getMany(request(['a', 'b']));
    expect(loads).toEqual([['a']]);
    expect(out.get('a')).toBe('A2');
    expect(out.get('b')).toBe('B1');
  });

  it('shares one load between concurrent misses of the same fragments', async () => {
    text.set('c', 'C1').set('d', 'D1');
    loads.length = 0;
    const outs = await Promise.all([
      sut.getMany(request(['c', 'd'])),
      sut.getMany(request(['d', 'c'])),
      sut.getMany(request(['c'])),
    ]);
    expect(loads).toEqual([['c', 'd']]);
    expect(outs.map((o) => o.get('c'))).toEqual(['C1', 'C1', 'C1']);
  });

  it('gives a repeat of the same ids array its last answer, until a tag is dropped', async () => {
    const ids = ['a', 'b'];
    await settled(ids);
    const first = await sut.getMany(request(ids));
    const second = await sut.getMany(request(ids));
    expect(second).toBe(first); // the memo (same array, nothing dropped, L1 items held)
    text.set('b', 'B2');
    await app.get(ResponseCache).invalidate(['seats:b']);
    const after = await sut.getMany(request(ids));
    expect(after).not.toBe(first);
    expect(after.get('b')).toBe('B2');
  });

  it('passes a failed load to every caller waiting on it, keeps nothing, and loads again next time', async () => {
    text.set('e', 'E1');
    let fail = true;
    const flaky = (ids: readonly string[]): FragmentRequest => ({
      ...request(ids),
      load: async (asked) => {
        await new Promise((r) => setTimeout(r, 20));
        if (fail) throw new Error('DynamoDB away');
        return new Map(asked.map((id) => [id, text.get(id)!]));
      },
    });
    const results = await Promise.allSettled([
      sut.getMany(flaky(['e'])),
      sut.getMany(flaky(['e'])),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect((await sut.getMany(flaky(['e']))).get('e')).toBe('E1');
  });
});
