import { parseArgs } from 'node:util';

/**
 * The configurations, in report order: baseline (no cache, Scan + filter, N+1 reads, inline
 * email), index_only (GSI Query, BatchGet, queued email; no cache), cache_only (the cache over
 * baseline's Scan and N+1 reads, queued email), optimized (cache, GSI Query, BatchGet, queued
 * email), and, only when named in --configs, optimized_no_seats (optimized without the seat fields
 * merged into list pages: `--configs optimized,optimized_no_seats` measures the merge back to back).
 * Their switches are CONFIGS in configs.ts.
 */
export const CONFIG_NAMES = [
  'baseline',
  'index_only',
  'cache_only',
  'optimized',
  'optimized_no_seats',
] as const;
export type ConfigName = (typeof CONFIG_NAMES)[number];
/** What runs without --configs: the four configurations of DESIGN §7. */
export const DEFAULT_CONFIGS: readonly ConfigName[] = CONFIG_NAMES.slice(0, 4);

export const ENDPOINT_NAMES = ['list', 'detail', 'my_enrollments', 'enroll'] as const;
export type EndpointName = (typeof ENDPOINT_NAMES)[number];

export interface DatasetSize {
  users: number;
  courses: number;
  enrollments: number;
}

export interface BenchOptions {
  quick: boolean;
  dataset: DatasetSize;
  connections: number;
  /** Seconds per measured endpoint run. */
  durationS: number;
  /** Seconds of warm-up traffic per endpoint before it is measured. */
  warmupS: number;
  /** Course counts of the Scan-vs-Query scaling run, ascending. */
  scalingSizes: number[];
  /** Timed lists per size and strategy; the median is reported. */
  scalingRuns: number;
  build: boolean;
  configs: ConfigName[];
  endpoints: EndpointName[];
  /** Skip the HTTP phases (scaling only), or skip scaling. */
  http: boolean;
  scaling: boolean;
  reference: boolean;
  /** The open-loop sweep of the list (throughput at the SLO, latency at a fixed rate); seconds per step, 0 = off. */
  sloStepS: number;
  /** Per-request timeout of the load generator, seconds (a timeout is an error). */
  timeoutS: number;
  /** Run the apps under `node --cpu-prof`; the profiles land in the run's log directory. */
  profile: boolean;
  /** The registration rush (bench/rush.ts) instead of the configurations; with `students` carts at T0. */
  rush: boolean;
  students: number;
}

export const QUICK_DATASET: DatasetSize = { users: 1000, courses: 2000, enrollments: 5000 };
export const FULL_DATASET: DatasetSize = { users: 5000, courses: 10000, enrollments: 50000 };

export const USAGE = `Usage: npm run bench -- [options]

  --quick               small dataset (${QUICK_DATASET.courses} courses), 4 s per endpoint, scaling to 5K, the open-loop sweep on 9 rates
  --connections N       concurrent connections per endpoint run (default 200)
  --duration S          seconds per measured endpoint run (default 20, quick 4)
  --warmup S            seconds of warm-up per endpoint (default 5, quick 1)
  --scaling-max N       largest table of the Scan-vs-Query run (1K, 10K, 100K... up to N; default 10000, quick 5000)
  --scaling-runs N      timed lists per size and strategy (default 9, quick 3)
  --configs a,b         only these configurations (${CONFIG_NAMES.join(', ')}; default all but optimized_no_seats)
  --endpoints a,b       only these endpoints (${ENDPOINT_NAMES.join(', ')})
  --no-build            use the existing dist/ instead of running npm run build
  --no-scaling          skip the scaling run
  --no-slo              skip the open-loop sweep of the list (throughput at p99 <= 500 ms)
  --slo-step S          seconds per open-loop rate step (default 6, quick 2, on a coarser ladder, baseline and optimized only)
  --no-reference        skip the plain node:http / Express reference servers
  --scaling-only        only the scaling run (no apps)
  --profile             run the apps under node --cpu-prof (profiles in the run's log directory)
  --rush                the registration rush instead: several instances per app, every student's cart at T0 (bench/rush.ts)
  --students N          students in the rush (default 1000, quick 300)
  --help`;

export class UsageError extends Error {}

const positiveInt = (name: string, raw: string | undefined, fallback: number, min = 1): number => {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
};

/** 1K, 10K, 100K... up to max, plus max itself when it is not a power of ten. */
export function scalingSizes(max: number): number[] {
  const sizes: number[] = [];
  for (let n = 1000; n <= max; n *= 10) sizes.push(n);
  if (sizes.length === 0 || sizes[sizes.length - 1] !== max) sizes.push(max);
  return sizes;
}

/** A comma-separated subset of `all` (`defaults`, else all of it, when absent), in `all`'s order. */
function subset<T extends string>(
  name: string,
  all: readonly T[],
  raw: string | undefined,
  defaults: readonly T[] = all,
): T[] {
  if (raw === undefined) return [...defaults];
  const wanted = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = wanted.filter((w) => !(all as readonly string[]).includes(w));
  if (unknown.length > 0 || wanted.length === 0) {
    throw new UsageError(
      `--${name} takes a comma-separated subset of ${all.join(', ')}; got "${raw}"`,
    );
  }
  return all.filter((a) => wanted.includes(a));
}

/** Parses argv (without node and the script); throws UsageError on anything it does not know. */
export function parseOptions(argv: string[]): BenchOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        quick: { type: 'boolean', default: false },
        connections: { type: 'string' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        'scaling-max': { type: 'string' },
        'scaling-runs': { type: 'string' },
        configs: { type: 'string' },
        endpoints: { type: 'string' },
        'no-build': { type: 'boolean', default: false },
        'no-scaling': { type: 'boolean', default: false },
        'no-reference': { type: 'boolean', default: false },
        'no-slo': { type: 'boolean', default: false },
        'slo-step': { type: 'string' },
        'scaling-only': { type: 'boolean', default: false },
        profile: { type: 'boolean', default: false },
        rush: { type: 'boolean', default: false },
        students: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const quick = values.quick;
  const configs = subset('configs', CONFIG_NAMES, values.configs, DEFAULT_CONFIGS);
  const endpoints = subset('endpoints', ENDPOINT_NAMES, values.endpoints);
  const scalingMax = positiveInt('scaling-max', values['scaling-max'], quick ? 5000 : 10000, 1000);
  const scalingOnly = values['scaling-only'];
  return {
    quick,
    dataset: quick ? { ...QUICK_DATASET } : { ...FULL_DATASET },
    connections: positiveInt('connections', values.connections, 200),
    durationS: positiveInt('duration', values.duration, quick ? 4 : 20),
    warmupS: positiveInt('warmup', values.warmup, quick ? 1 : 5, 0),
    scalingSizes: scalingSizes(scalingMax),
    scalingRuns: positiveInt('scaling-runs', values['scaling-runs'], quick ? 3 : 9),
    build: !values['no-build'] && !scalingOnly,
    configs,
    endpoints,
    http: !scalingOnly,
    scaling: !values['no-scaling'],
    reference:
      !values['no-reference'] &&
      !scalingOnly &&
      configs.includes('optimized') &&
      endpoints.includes('list'),
    sloStepS:
      values['no-slo'] || scalingOnly || !endpoints.includes('list')
        ? 0
        : positiveInt('slo-step', values['slo-step'], quick ? 2 : 6),
    timeoutS: 10,
    profile: values.profile,
    rush: values.rush,
    students: positiveInt('students', values.students, quick ? 300 : 1000),
  };
}
