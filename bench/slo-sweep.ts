import { openLoop, OpenLoopResult } from './open-loop';

/** The original write-up's own target: p99 under 500 ms, and under 0.1 % errors. */
export const SLO = { p99_ms: 500, error_rate: 0.001 } as const;

/** Arrival rates tried in order, until one misses the SLO. */
export const SWEEP_RATES = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 1500, 2000, 3000, 4000, 6000, 8000,
];

/** The quick run's coarser ladder (a subset of SWEEP_RATES, half the steps): same ends, fewer stops. */
export const QUICK_SWEEP_RATES = [1, 5, 20, 100, 500, 1000, 2000, 4000, 8000];

/** What latest.json records per configuration: `slo.<config>.list`. */
export interface SloResult {
  /** The highest rate of the sweep that met the SLO; 0 when even the first missed it. */
  max_rps_at_slo: number;
  fixed_rate_rps: number;
  fixed_rate_p50_ms: number;
  fixed_rate_p99_ms: number;
}

/** A step meets the SLO when its p99 and error rate do and every request due was answered. */
export function meetsSlo(step: OpenLoopResult): boolean {
  return (
    step.sent > 0 &&
    step.p99_ms <= SLO.p99_ms &&
    step.errors / step.sent < SLO.error_rate &&
    step.responses >= step.sent - step.errors
  );
}

/** The highest passing rate of steps run in ascending order (the sweep stops at the first miss). */
export function maxRateAtSlo(steps: readonly OpenLoopResult[]): number {
  let best = 0;
  for (const step of steps) {
    if (!meetsSlo(step)) break;
    best = step.rate_rps;
  }
  return best;
}

export interface SweepTarget {
  /** The server's URL now (a restart between steps may replace it). */
  baseUrl: () => string;
  requestAt: (i: number) => { path: string; headers?: Record<string, string> };
  stepS: number;
  /** The ladder, ascending; default SWEEP_RATES. */
  rates?: readonly number[];
  timeoutS: number;
  /** The rate every configuration is also measured at (one the baseline sustains), given this sweep's highest rate at the SLO. */
  fixedRate: (maxRpsAtSlo: number) => number;
  log: (line: string) => void;
  /** Called after each step, e.g. to let a backlog drain before the next. */
  between?: () => Promise<void>;
}

/** Steps the rate up until the SLO is missed, then measures the fixed rate. */
export async function sweep(t: SweepTarget): Promise<SloResult> {
  const step = async (rate: number) => {
    const r = await openLoop({
      baseUrl: t.baseUrl(),
      ratePerS: rate,
      durationS: t.stepS,
      timeoutS: t.timeoutS,
      requestAt: t.requestAt,
    });
    t.log(
      `open loop ${rate} req/s: p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms, ${r.errors}/${r.sent} errors ${meetsSlo(r) ? 'meets' : 'misses'} the SLO`,
    );
    return r;
  };
  const steps: OpenLoopResult[] = [];
  for (const rate of t.rates ?? SWEEP_RATES) {
    const r = await step(rate);
    steps.push(r);
    await t.between?.();
    if (!meetsSlo(r)) break;
  }
  const max = maxRateAtSlo(steps);
  const fixedRate = t.fixedRate(max);
  const fixed = await step(fixedRate);
  return {
    max_rps_at_slo: max,
    fixed_rate_rps: fixedRate,
    fixed_rate_p50_ms: fixed.p50_ms,
    fixed_rate_p99_ms: fixed.p99_ms,
  };
}
