// The report's measured windows: one table per endpoint with the configurations as rows, the
// run-to-run noise, and the CPU each process used.
import { CONFIG_NAMES, ConfigName, DEFAULT_CONFIGS, ENDPOINT_NAMES, EndpointName } from './options';
import type { BenchResult, EndpointResult } from './result';
import { fmtPct } from './targets';
import { fmtMs, fmtNum, fmtRcu, table } from './report-format';

export const ENDPOINT_TITLES: Record<EndpointName, string> = {
  list: 'list — `GET /api/courses?semester_id=&department_id=&limit=` (Zipf over semester × department)',
  detail: 'detail — `GET /api/courses/:course_id` (Zipf over course ids)',
  my_enrollments: 'my enrollments — `GET /api/enrollments/me` (student tokens in rotation)',
  enroll:
    'enroll / drop — `POST /api/enrollments` then `DELETE /api/enrollments/:course_id`, alternating per connection',
};

export const CONFIG_TITLES: Record<ConfigName, string> = {
  baseline: 'baseline (no cache, Scan, N+1, inline email)',
  index_only: 'index only (no cache, GSI Query, BatchGet, queued)',
  cache_only: 'cache only (cache, Scan, N+1, queued)',
  optimized: 'optimized (cache, GSI Query, BatchGet, queued)',
  optimized_no_seats: 'optimized without seats (the list page alone, no seat merge)',
};

/** Report order of the processes whose CPU is accounted; names not listed here follow. */
const CPU_COLUMNS = [
  'courses',
  'enrollments',
  'notifications',
  'DynamoDB Local',
  'Redis',
  'load generator',
];

function endpointRow(config: ConfigName, m: EndpointResult | undefined): string[] {
  if (!m) return [config, ...Array<string>(8).fill('—')];
  return [
    config,
    fmtNum(m.rps),
    fmtMs(m.p50_ms),
    fmtMs(m.p95_ms),
    fmtMs(m.p99_ms),
    fmtNum(m.errors),
    fmtNum(m.non2xx),
    fmtPct(m.hit_rate),
    fmtRcu(m.rcu_per_req) + (m.rcu_source === 'probe' ? ' †' : ''),
  ];
}

/** One table per endpoint that ran, the noise note and what each configuration switches on. */
export function endpointsSection(r: BenchResult): string[] {
  if (!CONFIG_NAMES.some((c) => r.configs[c])) return [];
  const out: string[] = ['## Per endpoint', ''];
  for (const e of ENDPOINT_NAMES) {
    const rows = CONFIG_NAMES.filter((c) => r.configs[c]?.[e]).map((c) =>
      endpointRow(c, r.configs[c]?.[e]),
    );
    if (rows.length === 0) continue;
    out.push(`### ${ENDPOINT_TITLES[e]}`, '');
    out.push(
      table(
        ['config', 'req/s', 'p50', 'p95', 'p99', 'errors', 'non-2xx', 'hit rate', 'RCU/req'],
        rows,
      ),
      '',
    );
  }
  out.push(...noiseNote(r), ...seatMergeNote(r));
  out.push(
    'Configurations: ' +
      CONFIG_NAMES.filter((c) => DEFAULT_CONFIGS.includes(c) || r.configs[c])
        .map((c) => `**${c}**: ${CONFIG_TITLES[c].replace(/^[^(]*\(/, '').replace(/\)$/, '')}`)
        .join('; ') +
      '.',
    '',
  );
  return out;
}

/**
 * cache_only and optimized answer a list hit through the same code (the index only matters on a
 * miss): with both at ≥ 99% hits, the gap between their req/s is the machine's run-to-run noise.
 */
function noiseNote(r: BenchResult): string[] {
  const a = r.configs.cache_only?.list;
  const b = r.configs.optimized?.list;
  if (!a || !b || (a.hit_rate ?? 0) < 0.99 || (b.hit_rate ?? 0) < 0.99) return [];
  const gap = Math.abs(a.rps - b.rps) / Math.min(a.rps, b.rps);
  return [
    `Noise: cache_only and optimized serve list hits through the same code, yet measured ${fmtNum(a.rps)} and ${fmtNum(b.rps)} req/s ` +
      `(${fmtPct(gap)} apart) in this run. Ratios built on one window carry about that much noise on this shared machine.`,
    '',
  ];
}

/** What merging the seat fields into cached list pages costs, when both sides ran in this run. */
function seatMergeNote(r: BenchResult): string[] {
  const withSeats = r.configs.optimized?.list;
  const without = r.configs.optimized_no_seats?.list;
  if (!withSeats || !without || without.rps <= 0) return [];
  // On a shared machine the app does not always get the core it could use: per busy core too.
  const perCore = (m: EndpointResult) => {
    const cores = m.cpu_cores?.courses;
    return cores && cores > 0 ? m.rps / cores : null;
  };
  const [a, b] = [perCore(withSeats), perCore(without)];
  const cores =
    a !== null && b !== null
      ? `; per busy core of the courses app ${fmtNum(a)} and ${fmtNum(b)} (${fmtPct(a / b)})`
      : '';
  return [
    `Seat merge: the list with its items' seat fields merged in served ${fmtNum(withSeats.rps)} req/s, ` +
      `the stable page alone ${fmtNum(without.rps)} req/s (${fmtPct(withSeats.rps / without.rps)} of it)${cores}, back to back in this run.`,
    '',
  ];
}

/** Which process each measured window kept busy: what saturated is what limited that row. */
export function cpuSection(r: BenchResult): string[] {
  const runs = CONFIG_NAMES.flatMap((c) =>
    ENDPOINT_NAMES.flatMap((e) => {
      const cores = r.configs[c]?.[e]?.cpu_cores;
      return cores ? [{ c, e, cores }] : [];
    }),
  );
  if (runs.length === 0) return [];
  const seen = new Set(runs.flatMap((x) => Object.keys(x.cores)));
  const columns = [
    ...CPU_COLUMNS.filter((n) => seen.has(n)),
    ...[...seen].filter((n) => !CPU_COLUMNS.includes(n)),
  ];
  return [
    '## Where the CPU went',
    '',
    'Cores each process kept busy during the measured window (CPU seconds from `/proc` over wall seconds; the machine has ' +
      `${r.machine.cpus}). A Node app cannot use more than about 1.0: at that figure its event loop was the bottleneck.`,
    '',
    table(
      ['config', 'endpoint', ...columns],
      runs.map(({ c, e, cores }) => [c, e, ...columns.map((n) => fmtNum(cores[n], 2))]),
    ),
    '',
  ];
}

/** Columns of the DynamoDB commands table, reads first; operations not listed here follow. */
const DDB_COLUMNS = [
  'GetItem',
  'BatchGetItem',
  'Query',
  'Scan',
  'TransactWriteItems',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
];

/**
 * The DynamoDB commands behind one request of an endpoint (the write endpoint's, probed), every app
 * counted: on DynamoDB Local a command costs about the same whatever its size, so this is where the
 * enroll path's share of raw TransactWriteItems goes.
 */
export function ddbCallsSection(r: BenchResult): string[] {
  const runs = CONFIG_NAMES.flatMap((c) =>
    ENDPOINT_NAMES.flatMap((e) => {
      const calls = r.configs[c]?.[e]?.ddb_calls_per_req;
      return calls ? [{ c, e, calls }] : [];
    }),
  );
  if (runs.length === 0) return [];
  const seen = new Set(runs.flatMap((x) => Object.keys(x.calls)));
  const columns = [
    ...DDB_COLUMNS.filter((n) => seen.has(n)),
    ...[...seen].filter((n) => !DDB_COLUMNS.includes(n)).sort(),
  ];
  const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);
  return [
    '## DynamoDB commands per request',
    '',
    'Commands every app sent per request (`dynamodb_requests_total`), from 20 requests sent one at a ' +
      "time to the idle apps after the window (`calls-probe.ts`): an enroll's or drop's include the outbox " +
      "relay's and the email worker's, and the relay's poll of its pending index falls in too. Raw " +
      'TransactWriteItems sends one command per operation.',
    '',
    table(
      ['config', 'endpoint', ...columns, 'total'],
      runs.map(({ c, e, calls }) => [
        c,
        e,
        ...columns.map((n) => (calls[n] === undefined ? '—' : fmtNum(calls[n], 2))),
        fmtNum(total(calls), 2),
      ]),
    ),
    '',
  ];
}
