// The report's comparisons of optimized with baseline: the targets and the original
// write-up's claims.
import type { BenchResult } from './result';
import { errorRate, evaluateTargets, fmtPct, fmtX } from './targets';
import { fmtMs, fmtNum, fmtRcu, table } from './report-format';

const verdict = (pass: boolean | null) => (pass === null ? 'N/A' : pass ? 'PASS' : 'MISS');

const arrow = (a: string, b: string) => `${a} → ${b}`;

/** Each target with PASS, MISS or N/A (not measurable in this run). */
export function targetsSection(r: BenchResult): string[] {
  return [
    '## Targets (optimized vs baseline, same run)',
    '',
    table(
      ['target', 'required', 'measured', 'result'],
      evaluateTargets(r).map((t) => [t.name, t.target, t.measured, verdict(t.pass)]),
    ),
    '',
  ];
}

/** The write-up's figures beside this run's baseline → optimized, then its two ratios beside ours. */
export function claimsSection(r: BenchResult): string[] {
  const base = r.configs.baseline?.list;
  const opt = r.configs.optimized?.list;
  const p99x = base && opt ? fmtX(base.p99_ms / opt.p99_ms) : 'n/a';
  const rpsx = base && opt ? fmtX(opt.rps / base.rps) : 'n/a';
  return [
    "## The original write-up's claims beside this run",
    '',
    table(
      ['claim', 'write-up', 'measured here (baseline → optimized)', 'what is compared'],
      claimRows(r),
    ),
    '',
    `The write-up claims 57× on p99 and 40× on throughput; this run measured ${p99x} and ${rpsx} on the list endpoint.`,
    '',
  ];
}

function claimRows(r: BenchResult): string[][] {
  const base = r.configs.baseline?.list;
  const opt = r.configs.optimized?.list;
  return [
    [
      'average latency',
      '5.3 s → 25 ms',
      base && opt ? arrow(fmtMs(base.p50_ms), fmtMs(opt.p50_ms)) : 'n/a',
      'list p50 (the harness records percentiles, not the mean)',
    ],
    [
      'p99 latency',
      '8.5 s → 150 ms',
      base && opt ? arrow(fmtMs(base.p99_ms), fmtMs(opt.p99_ms)) : 'n/a',
      'list p99',
    ],
    [
      'throughput',
      '20 → 800 req/s',
      base && opt ? arrow(`${fmtNum(base.rps)}`, `${fmtNum(opt.rps)} req/s`) : 'n/a',
      'list req/s',
    ],
    [
      'cache hit rate',
      '99%',
      fmtPct(opt?.hit_rate, 2),
      'optimized list, from cache_requests_total',
    ],
    [
      'read capacity',
      '−95%',
      base?.rcu_per_req && opt
        ? `−${fmtPct(1 - (opt.rcu_per_req ?? 0) / base.rcu_per_req)} (${fmtRcu(base.rcu_per_req)} → ${fmtRcu(opt.rcu_per_req)} RCU/request)`
        : 'n/a',
      'list RCU per request (DynamoDB Local reports capacity only roughly)',
    ],
    [
      `errors under ${r.dataset.connections} users`,
      '12% → 0%',
      arrow(fmtPct(errorRate(r, 'baseline'), 2), fmtPct(errorRate(r, 'optimized'), 2)),
      'errors (timeouts, resets, 5xx) / requests, all endpoints',
    ],
  ];
}
