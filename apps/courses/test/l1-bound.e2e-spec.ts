// Issue 11 item 5: L1 stays within CACHE_L1_MAX_BYTES under a key space several times larger than
// the bound, on a built courses process over DynamoDB Local and Redis: the bytes it reports
// (`cache_l1_bytes`) never pass the bound, it evicted to stay there, and every answer is still the
// course asked for.
import { AppInstance, instanceMetric, testStack, Topology } from '@app/testing';

const MAX_BYTES = 16 * 1024;
/** Each detail entry takes ~1.5 kB of L1 (UTF-16 key and body plus bookkeeping): ~6× the bound. */
const COURSES = 60;
const stack = testStack('l1bound', { LOG_LEVEL: 'error' });
jest.setTimeout(120_000);

describe('the L1 byte bound on a courses instance', () => {
  let topology: Topology;
  let app: AppInstance;
  const ids = Array.from({ length: COURSES }, (_, i) => `L1B${i}-2026-FALL`);

  beforeAll(async () => {
    await stack.migrate();
    await Promise.all(ids.map((id) => stack.putCourse(id)));
    topology = await Topology.start({ courses: 1 }, { CACHE_L1_MAX_BYTES: String(MAX_BYTES) });
    [app] = topology.of('courses');
  });

  afterAll(async () => {
    await topology?.stop();
    await stack.drop();
  });

  it('holds at most CACHE_L1_MAX_BYTES while a larger key space passes through it', async () => {
    for (let round = 0; round < 2; round++) {
      for (const [i, id] of ids.entries()) {
        const res = await topology.request('courses', `/api/courses/${id}`, { to: app });
        expect(res.status).toBe(200);
        expect(res.body.course_id).toBe(id);
        if (i % 10 === 9)
          expect(await instanceMetric(app, 'cache_l1_bytes')).toBeLessThanOrEqual(MAX_BYTES);
      }
    }
    const bytes = await instanceMetric(app, 'cache_l1_bytes');
    // Filled to near the bound: the bound, not the key space, is what limited it.
    expect(bytes).toBeGreaterThan(MAX_BYTES / 2);
    expect(bytes).toBeLessThanOrEqual(MAX_BYTES);
    expect(await instanceMetric(app, 'cache_l1_evictions_total')).toBeGreaterThan(0);
  });
});
