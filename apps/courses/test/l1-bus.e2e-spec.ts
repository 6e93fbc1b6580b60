// Issue 11 item 2: the L1 in front of Redis, across two separately started courses processes
// sharing one cache prefix. After a write on A, B never serves the old entry once the tag bus has
// delivered the bump; and with B's subscriber killed (no reconnect), never after CACHE_L1_TTL_MS.
import { Redis } from 'ioredis';
import { tagBusClientName } from '@app/cache/l1/tag-bus';
import {
  AppInstance,
  eventually,
  instanceMetric,
  testStack,
  tokenFor,
  Topology,
} from '@app/testing';

const L1_TTL_MS = 500;
const stack = testStack('l1bus', { LOG_LEVEL: 'error' });
jest.setTimeout(120_000);

describe('L1 and the tag bus across two courses instances', () => {
  let topology: Topology;
  let redis: Redis;
  let admin: string;
  let a: AppInstance;
  let b: AppInstance;
  const delaysMs: number[] = [];
  /** Per write with B's subscriber dead: how long after it B was seen fresh, and how many stale reads. */
  const lost: { freshAfterMs: number; staleReads: number }[] = [];

  const title = async (to: AppInstance, id: string) =>
    (await topology.request('courses', `/api/courses/${id}`, { to })).body.title as string;
  const patch = async (to: AppInstance, id: string, newTitle: string) => {
    const res = await topology.request('courses', `/api/courses/${id}`, {
      to,
      method: 'PATCH',
      token: admin,
      body: { title: newTitle },
    });
    expect(res.status).toBe(200);
  };
  const delivered = (to: AppInstance) => instanceMetric(to, 'cache_tag_bus_delay_seconds_count');
  /** B's subscriber connection as Redis lists it, if connected. */
  const subscriberOf = async (to: AppInstance) => {
    const list = (await redis.call('CLIENT', 'LIST')) as string;
    const name = `name=${tagBusClientName(to.process.pid)}`;
    return list.split('\n').find((line) => line.split(' ').includes(name));
  };

  beforeAll(async () => {
    await stack.migrate();
    admin = await tokenFor({ sub: 'l1-admin', role: 'admin', email: 'admin@example.edu' });
    redis = new Redis(stack.env.CACHE_REDIS_URL ?? stack.env.REDIS_URL);
    topology = await Topology.start(
      { courses: 2 },
      { CACHE_L1_TTL_MS: String(L1_TTL_MS), CACHE_L1_BUS_RECONNECT: 'false' },
    );
    [a, b] = topology.of('courses');
  });

  afterAll(async () => {
    await topology?.stop();
    redis?.disconnect();
    await stack.drop();
    console.log(
      `tag bus delivery A→B (ms): ${delaysMs.map((d) => d.toFixed(2)).join(', ')}\n` +
        `subscriber killed, L1 TTL ${L1_TTL_MS} ms: ${JSON.stringify(lost)}`,
    );
  });

  it('serves repeated reads from L1, and after a write on A, B is fresh once the bus delivered', async () => {
    const id = 'L1BUS1-2026-FALL';
    await stack.putCourse(id);
    for (const to of [a, b, a, b]) await title(to, id);
    expect(await instanceMetric(b, 'cache_l1_hits_total', 'kind="entry"')).toBeGreaterThan(0);

    for (let k = 1; k <= 5; k++) {
      // B holds the old entry in L1 right before the write.
      await title(b, id);
      const count = await delivered(b);
      const sum = await instanceMetric(b, 'cache_tag_bus_delay_seconds_sum');
      await patch(a, id, `Bus ${k}`);
      await eventually(async () => (await delivered(b)) > count, 5000);
      expect(await delivered(b)).toBeGreaterThan(count);
      expect(await title(b, id)).toBe(`Bus ${k}`);
      const delta = (await instanceMetric(b, 'cache_tag_bus_delay_seconds_sum')) - sum;
      delaysMs.push((delta * 1000) / ((await delivered(b)) - count));
    }
  });

  it('with B subscriber killed and not reconnecting, B is fresh within CACHE_L1_TTL_MS of a write on A', async () => {
    const id = 'L1BUS2-2026-FALL';
    await stack.putCourse(id);
    const line = await subscriberOf(b);
    expect(line).toBeDefined();
    const clientId = /(?:^| )id=(\d+)/.exec(line!)![1];
    await redis.call('CLIENT', 'KILL', 'ID', clientId);
    await eventually(async () => (await subscriberOf(b)) === undefined, 5000);
    expect(await subscriberOf(b)).toBeUndefined();
    const count = await delivered(b);

    for (let k = 1; k <= 3; k++) {
      for (const to of [a, b, b]) await title(to, id);
      await patch(a, id, `Lost ${k}`);
      const writtenAt = Date.now();
      // Every read B answers stale must have started within the TTL of the write's end.
      const staleStarts: number[] = [];
      let seen = '';
      await eventually(async () => {
        const startedAt = Date.now();
        seen = await title(b, id);
        if (seen !== `Lost ${k}`) staleStarts.push(startedAt - writtenAt);
        return seen === `Lost ${k}`;
      }, 5000);
      expect(seen).toBe(`Lost ${k}`);
      lost.push({ freshAfterMs: Date.now() - writtenAt, staleReads: staleStarts.length });
      for (const at of staleStarts) expect(at).toBeLessThan(L1_TTL_MS);
    }
    // Nothing reached B over the bus meanwhile: the TTL alone made it fresh.
    expect(await delivered(b)).toBe(count);
  });
});
