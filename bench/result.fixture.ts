import type { BenchResult, EndpointResult } from './result';

const m = (
  rps: number,
  p50: number,
  p95: number,
  p99: number,
  extra: Partial<EndpointResult> = {},
): EndpointResult => ({
  rps,
  p50_ms: p50,
  p95_ms: p95,
  p99_ms: p99,
  errors: 0,
  non2xx: 0,
  hit_rate: null,
  rcu_per_req: null,
  ...extra,
});

/** A plausible full run: every target met except the Express share. */
export function resultFixture(): BenchResult {
  return {
    machine: {
      cpus: 2,
      cpu_model: 'Test CPU @ 2.0GHz',
      mem_gb: 8,
      node: 'v20.20.2',
      os: 'Linux 6.1 x64',
    },
    dataset: {
      courses: 10000,
      users: 5000,
      enrollments: 50000,
      connections: 200,
      duration_s: 20,
      warmup_s: 5,
      quick: false,
    },
    configs: {
      baseline: {
        list: m(20, 5300, 8000, 8500, {
          errors: 48,
          non2xx: 48,
          rcu_per_req: 120,
          rcu_source: 'probe',
        }),
        detail: m(900, 150, 300, 400, { rcu_per_req: 0.5 }),
        my_enrollments: m(300, 500, 900, 1200, { rcu_per_req: 5 }),
        enroll: m(150, 900, 1500, 2000, { non2xx: 3 }),
      },
      index_only: {
        list: m(1200, 150, 250, 300, { rcu_per_req: 2 }),
        detail: m(1000, 140, 250, 300, { rcu_per_req: 0.5 }),
        my_enrollments: m(800, 200, 350, 400, { rcu_per_req: 3 }),
        enroll: m(400, 400, 700, 900),
      },
      cache_only: {
        list: m(4000, 40, 70, 90, { hit_rate: 0.995, rcu_per_req: 0.6 }),
        detail: m(3500, 50, 80, 100, { hit_rate: 0.9, rcu_per_req: 0.05 }),
        my_enrollments: m(3000, 60, 90, 120, { hit_rate: 0.97, rcu_per_req: 0.1 }),
        enroll: m(400, 400, 700, 900),
      },
      optimized: {
        list: m(5000, 25, 60, 75, {
          hit_rate: 0.999,
          rcu_per_req: 0.002,
          cpu_cores: { courses: 0.99, 'DynamoDB Local': 0.01, 'load generator': 0.7 },
        }),
        detail: m(4000, 40, 70, 90, { hit_rate: 0.9, rcu_per_req: 0.05 }),
        my_enrollments: m(3500, 50, 80, 100, { hit_rate: 0.98, rcu_per_req: 0.06 }),
        enroll: m(420, 380, 650, 850, {
          non2xx: 1,
          ddb_calls_per_req: { GetItem: 1, Query: 1.5, TransactWriteItems: 1, UpdateItem: 3 },
        }),
      },
    },
    scaling: [
      { courses: 1000, scan_ms: 20, query_ms: 3, scan_rcu: 12, query_rcu: 0.5 },
      { courses: 10000, scan_ms: 180, query_ms: 3.2, scan_rcu: 120, query_rcu: 0.5 },
    ],
    reference: {
      plain_http_rps: 15000,
      express_rps: 7000,
      nest_bare_rps: 6000,
      nest_cached_rps: 5000,
    },
  };
}

/** The fixture with configurations and phases skipped: no baseline, no scaling, no references. */
export function partialResultFixture(): BenchResult {
  const r = resultFixture();
  delete r.configs.baseline;
  r.scaling = [];
  r.reference = {
    plain_http_rps: null,
    express_rps: null,
    nest_bare_rps: null,
    nest_cached_rps: null,
  };
  return r;
}
