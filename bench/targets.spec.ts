import { resultFixture } from './result.fixture';
import { errorRate, evaluateTargets } from './targets';

const byName = (checks: ReturnType<typeof evaluateTargets>) =>
  Object.fromEntries(checks.map((c) => [c.name, c]));

describe('evaluateTargets', () => {
  it('checks each target of the issue with its measured value', () => {
    const sut = byName(evaluateTargets(resultFixture()));
    expect(sut['list p99 latency']).toMatchObject({ pass: true, measured: '113× lower' });
    expect(sut['list req/s']).toMatchObject({ pass: true, measured: '250× higher' });
    expect(sut['list cache hit rate (optimized)']).toMatchObject({
      pass: true,
      measured: '99.90%',
    });
    expect(sut['read capacity per list request'].pass).toBe(true);
    expect(sut['errors in optimized (all endpoints)']).toMatchObject({ pass: true, measured: '0' });
    expect(sut['cached list req/s vs plain node:http']).toMatchObject({
      pass: false,
      measured: '33.3%',
    });
    expect(sut['cached list req/s vs bare Express']).toMatchObject({
      pass: false,
      measured: '71.4%',
    });
  });

  it('misses when the optimized config falls short, and says N/A when a phase is absent', () => {
    const r = resultFixture();
    r.configs.optimized!.list!.p99_ms = 1000;
    r.configs.optimized!.list!.hit_rate = 0.5;
    r.configs.optimized!.enroll!.errors = 2;
    r.reference = {
      plain_http_rps: null,
      express_rps: null,
      nest_bare_rps: null,
      nest_cached_rps: 5000,
    };
    const sut = byName(evaluateTargets(r));
    expect(sut['list p99 latency'].pass).toBe(false);
    expect(sut['list cache hit rate (optimized)'].pass).toBe(false);
    expect(sut['errors in optimized (all endpoints)']).toMatchObject({
      pass: false,
      measured: '2',
    });
    expect(sut['cached list req/s vs plain node:http']).toMatchObject({
      pass: null,
      measured: 'n/a',
    });

    delete r.configs.baseline;
    const noBase = byName(evaluateTargets(r));
    expect(noBase['list req/s'].pass).toBeNull();
    expect(noBase['read capacity per list request'].pass).toBeNull();
  });

  it('checks the open-loop, enroll and memory targets once the run measured them', () => {
    const r = resultFixture();
    expect(byName(evaluateTargets(r))['enroll req/s vs raw TransactWriteItems'].pass).toBeNull();
    const slo = (max: number, p99: number) => ({
      list: {
        max_rps_at_slo: max,
        fixed_rate_rps: 2,
        fixed_rate_p50_ms: p99 / 2,
        fixed_rate_p99_ms: p99,
      },
    });
    r.slo = { baseline: slo(2, 480), optimized: slo(2000, 4) };
    r.reference.raw_transact_rps = 50;
    r.memory = { courses: { idle_rss_mb: 100, peak_rss_mb: 310 } };
    const sut = byName(evaluateTargets(r));
    expect(sut['list throughput at the SLO (p99 ≤ 500 ms, < 0.1% errors)']).toMatchObject({
      pass: true,
      measured: '1000× higher',
    });
    expect(sut['list p99 at a fixed rate the baseline sustains']).toMatchObject({
      pass: true,
      measured: '120× lower',
    });
    r.slo.baseline = slo(0, 900);
    expect(
      byName(evaluateTargets(r))['list throughput at the SLO (p99 ≤ 500 ms, < 0.1% errors)'],
    ).toMatchObject({
      pass: true,
      measured: '>2000× higher (baseline: no rate ≥ 1 req/s meets it)',
    });
    r.slo.optimized = slo(0, 900);
    expect(
      byName(evaluateTargets(r))['list throughput at the SLO (p99 ≤ 500 ms, < 0.1% errors)'],
    ).toMatchObject({ pass: false, measured: '0.0× higher' });
    expect(sut['enroll req/s vs raw TransactWriteItems'].measured).toMatch(/%$/);
    expect(sut['peak RSS of any app (optimized)']).toMatchObject({
      pass: false,
      measured: '310 MB',
    });
  });

  it('counts a list served without any DynamoDB read as 100 % less capacity', () => {
    const r = resultFixture();
    r.configs.optimized!.list!.rcu_per_req = null;
    expect(byName(evaluateTargets(r))['read capacity per list request']).toMatchObject({
      pass: true,
      measured: '100.0% lower',
    });
  });
});

describe('errorRate', () => {
  it('is errors over approximate requests of one configuration', () => {
    const r = resultFixture();
    // baseline: 48 errors; requests ≈ (20 + 900 + 300 + 150) × 20 + 48
    expect(errorRate(r, 'baseline')).toBeCloseTo(48 / (1370 * 20 + 48), 10);
    expect(errorRate(r, 'optimized')).toBe(0);
    delete r.configs.cache_only;
    expect(errorRate(r, 'cache_only')).toBeNull();
  });
});
