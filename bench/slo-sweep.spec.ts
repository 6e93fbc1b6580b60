import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openLoop } from './open-loop';
import { maxRateAtSlo, meetsSlo, sweep } from './slo-sweep';

const step = (rate: number, p99: number, errors = 0, sent = 100, responses = sent) => ({
  rate_rps: rate,
  sent,
  responses,
  errors,
  p50_ms: p99 / 2,
  p99_ms: p99,
});

describe('meetsSlo', () => {
  it.each([
    ['fast, no errors', step(10, 120), true],
    ['p99 at the bound', step(10, 500), true],
    ['p99 over 500 ms', step(10, 501), false],
    ['1 error in 1,000 (0.1 %)', step(10, 50, 1, 1000), false],
    ['1 error in 1,001', step(10, 50, 1, 1001), true],
    ['answers missing', step(10, 50, 0, 100, 90), false],
    ['nothing sent', step(10, 0, 0, 0), false],
  ])('%s', (_name, s, pass) => expect(meetsSlo(s)).toBe(pass));
});

describe('maxRateAtSlo', () => {
  it('is the last passing rate before the first miss', () => {
    expect(maxRateAtSlo([step(1, 10), step(2, 20), step(5, 900), step(10, 20)])).toBe(2);
    expect(maxRateAtSlo([step(1, 900)])).toBe(0);
  });
});

describe('the open-loop generator against a real server', () => {
  let server: Server;
  let base: string;
  /** Answers one request at a time, each after 50 ms: a server that saturates at 20 req/s. */
  let busyUntil = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      const now = Date.now();
      busyUntil = Math.max(busyUntil, now) + 50;
      setTimeout(() => res.end('ok'), busyUntil - now);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('sends at the arrival rate and counts the wait of delayed requests (no coordinated omission)', async () => {
    // 40 req/s for 1 s at a server that does 20: request i waits ~i × 25 ms, the last ~1 s.
    const r = await openLoop({
      baseUrl: base,
      ratePerS: 40,
      durationS: 1,
      timeoutS: 5,
      requestAt: () => ({ path: '/' }),
    });
    expect(r.sent).toBe(40);
    expect(r.responses).toBe(40);
    expect(r.p99_ms).toBeGreaterThan(800);
    expect(meetsSlo(r)).toBe(false);
  });

  it('finds the highest rate under the SLO and measures the fixed rate', async () => {
    const lines: string[] = [];
    const result = await sweep({
      baseUrl: () => base,
      requestAt: () => ({ path: '/' }),
      stepS: 1,
      timeoutS: 5,
      fixedRate: (max) => (max >= 10 ? 5 : 1),
      log: (l) => lines.push(l),
    });
    // 1, 2, 5 and 10 req/s stay under the server's 20; 20 or 50 miss (50 ms each, queueing).
    expect([10, 20]).toContain(result.max_rps_at_slo);
    expect(result.fixed_rate_rps).toBe(5);
    expect(result.fixed_rate_p99_ms).toBeLessThan(200);
    expect(lines.at(-2)).toMatch(/misses the SLO/);
  });
});
