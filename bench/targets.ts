import { CONFIG_NAMES, ENDPOINT_NAMES } from './options';
import type { BenchResult } from './result';
import { SWEEP_RATES } from './slo-sweep';

export interface TargetCheck {
  name: string;
  target: string;
  measured: string;
  /** null: not measurable in this run (a phase was skipped or a metric is missing). */
  pass: boolean | null;
}

const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || b === null || b === undefined || b === 0 ? null : a / b;

export const fmtX = (x: number | null) =>
  x === null ? 'n/a' : x >= 100 ? `${Math.round(x)}×` : `${x.toFixed(1)}×`;
export const fmtPct = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(digits)}%`;

/** The issue's targets: optimized vs baseline in the same run, and the cached list vs the references. */
export function evaluateTargets(r: BenchResult): TargetCheck[] {
  const base = r.configs.baseline?.list;
  const opt = r.configs.optimized?.list;
  const checks: TargetCheck[] = [];

  const p99x = ratio(base?.p99_ms, opt?.p99_ms);
  checks.push({
    name: 'list p99 latency',
    target: '≥100× lower',
    measured: `${fmtX(p99x)} lower`,
    pass: p99x === null ? null : p99x >= 100,
  });

  const rpsx = ratio(opt?.rps, base?.rps);
  checks.push({
    name: 'list req/s',
    target: '≥40× higher',
    measured: `${fmtX(rpsx)} higher`,
    pass: rpsx === null ? null : rpsx >= 40,
  });

  const hit = opt?.hit_rate ?? null;
  checks.push({
    name: 'list cache hit rate (optimized)',
    target: '≥99%',
    measured: fmtPct(hit, 2),
    pass: hit === null ? null : hit >= 0.99,
  });

  // No DynamoDB read at all (every list a cache hit) is the best case: 100 % lower.
  const rcuCut =
    base?.rcu_per_req === null ||
    base?.rcu_per_req === undefined ||
    base.rcu_per_req === 0 ||
    opt === undefined
      ? null
      : 1 - (opt.rcu_per_req ?? 0) / base.rcu_per_req;
  checks.push({
    name: 'read capacity per list request',
    target: '≥95% lower',
    measured: rcuCut === null ? 'n/a' : `${fmtPct(rcuCut)} lower`,
    pass: rcuCut === null ? null : rcuCut >= 0.95,
  });

  const optimized = r.configs.optimized;
  const errors = optimized
    ? ENDPOINT_NAMES.reduce((sum, e) => sum + (optimized[e]?.errors ?? 0), 0)
    : null;
  checks.push({
    name: 'errors in optimized (all endpoints)',
    target: '0',
    measured: errors === null ? 'n/a' : String(errors),
    pass: errors === null ? null : errors === 0,
  });

  const plain = ratio(r.reference.nest_cached_rps, r.reference.plain_http_rps);
  checks.push({
    name: 'cached list req/s vs plain node:http',
    target: '≥50%',
    measured: fmtPct(plain),
    pass: plain === null ? null : plain >= 0.5,
  });
  const express = ratio(r.reference.nest_cached_rps, r.reference.express_rps);
  checks.push({
    name: 'cached list req/s vs bare Express',
    target: '≥100%',
    measured: fmtPct(express),
    pass: express === null ? null : express >= 1,
  });
  checks.push(...capacityTargets(r));
  return checks;
}

/** Issue 11's capacity-planning targets: the open-loop sweep, enroll vs the database, memory. */
function capacityTargets(r: BenchResult): TargetCheck[] {
  const base = r.slo?.baseline?.list;
  const opt = r.slo?.optimized?.list;
  const atSlo = sloRatio(opt?.max_rps_at_slo, base?.max_rps_at_slo);
  const fixedP99 = ratio(base?.fixed_rate_p99_ms, opt?.fixed_rate_p99_ms);
  const enroll = ratio(r.configs.optimized?.enroll?.rps, r.reference.raw_transact_rps);
  const rss = Object.values(r.memory ?? {}).map((m) => m!.peak_rss_mb);
  const peak = rss.length ? Math.max(...rss) : null;
  return [
    {
      name: 'list throughput at the SLO (p99 ≤ 500 ms, < 0.1% errors)',
      target: '≥200× higher',
      measured:
        atSlo === null
          ? 'n/a'
          : `${atSlo.bound ? '>' : ''}${fmtX(atSlo.x)} higher${atSlo.bound ? ` (baseline: no rate ≥ ${SWEEP_RATES[0]} req/s meets it)` : ''}`,
      pass: atSlo === null ? null : atSlo.x >= 200,
    },
    {
      name: 'list p99 at a fixed rate the baseline sustains',
      target: '≥50× lower',
      measured: fixedP99 === null ? 'n/a' : `${fmtX(fixedP99)} lower`,
      pass: fixedP99 === null ? null : fixedP99 >= 50,
    },
    {
      name: 'enroll req/s vs raw TransactWriteItems',
      target: '≥80%',
      measured: fmtPct(enroll),
      pass: enroll === null ? null : enroll >= 0.8,
    },
    {
      name: 'peak RSS of any app (optimized)',
      target: '≤300 MB',
      measured: peak === null ? 'n/a' : `${peak} MB`,
      pass: peak === null ? null : peak <= 300,
    },
  ];
}

/**
 * Optimized ÷ baseline throughput at the SLO. A baseline that meets the SLO at no rate of the
 * ladder sustains less than its lowest, so optimized ÷ that lowest rate is a lower bound.
 */
function sloRatio(
  opt: number | undefined,
  base: number | undefined,
): { x: number; bound: boolean } | null {
  if (opt === undefined || base === undefined) return null;
  if (base > 0) return { x: opt / base, bound: false };
  return opt > 0 ? { x: opt / SWEEP_RATES[0]!, bound: true } : { x: 0, bound: false };
}

/** Errors / all requests of a configuration, approximating requests as rps × duration. */
export function errorRate(r: BenchResult, config: (typeof CONFIG_NAMES)[number]): number | null {
  const c = r.configs[config];
  const duration = Number(r.dataset.duration_s);
  if (!c || !(duration > 0)) return null;
  let errors = 0;
  let requests = 0;
  for (const e of ENDPOINT_NAMES) {
    const m = c[e];
    if (!m) continue;
    errors += m.errors;
    requests += m.rps * duration + m.errors;
  }
  return requests > 0 ? errors / requests : null;
}
