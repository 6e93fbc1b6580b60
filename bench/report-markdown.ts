// latest.md: the document around the sections, and the scaling and reference sections.
import { REFERENCE_FIELD, REFERENCE_LABEL, REFERENCE_MODES } from './reference';
import type { BenchResult } from './result';
import { claimsSection, targetsSection } from './report-claims';
import { costSection, memorySection, sloSection } from './report-capacity';
import { cpuSection, ddbCallsSection, endpointsSection } from './report-endpoints';
import { fmtMs, fmtNum, fmtRcu, table } from './report-format';
import { fmtPct, fmtX } from './targets';

/** latest.md: targets, the write-up's claims beside the measurements, one table per endpoint, scaling, references. */
export function renderMarkdown(r: BenchResult, generatedAt: string): string {
  return [
    ...header(r, generatedAt),
    ...targetsSection(r),
    ...claimsSection(r),
    ...sloSection(r),
    ...endpointsSection(r),
    ...cpuSection(r),
    ...ddbCallsSection(r),
    ...scalingSection(r),
    ...referenceSection(r),
    ...memorySection(r),
    ...costSection(r),
    ...HOW_TO_READ,
  ].join('\n');
}

/** The title, when and on what machine the run was made, the dataset and the load. */
function header(r: BenchResult, generatedAt: string): string[] {
  const d = r.dataset;
  return [
    `# Benchmark: what caching and indexing buy`,
    '',
    `Generated ${generatedAt} by \`npm run bench${d.quick ? ' -- --quick' : ''}\`. ` +
      `Machine: ${r.machine.cpus} × ${r.machine.cpu_model}, ${r.machine.mem_gb} GB, Node ${r.machine.node}, ${r.machine.os}.`,
    '',
    `Dataset: ${fmtNum(Number(d.courses))} courses, ${fmtNum(Number(d.users))} users, ${fmtNum(Number(d.enrollments))} enrollments ` +
      `(DynamoDB Local). Load: ${d.connections} connections, ${d.duration_s} s per endpoint after ${d.warmup_s} s of warm-up, ` +
      `autocannon in-process; apps, DynamoDB Local, Redis and the load generator share the machine.`,
    '',
  ];
}

/** Scan + filter vs GSI Query per table size (absent when the scaling run was skipped). */
function scalingSection(r: BenchResult): string[] {
  if (r.scaling.length === 0) return [];
  return [
    '## Scan vs GSI Query as the table grows',
    '',
    'One department of one semester, read to completion with the SDK directly (no HTTP, no cache); medians. ' +
      'The department holds the same 125 courses at every size (departments grow with the table), so only the table grows.',
    '',
    table(
      ['courses', 'Scan + filter', 'GSI Query', 'Scan / Query', 'Scan RCU', 'Query RCU'],
      r.scaling.map((s) => [
        fmtNum(s.courses),
        fmtMs(s.scan_ms),
        fmtMs(s.query_ms),
        fmtX(s.query_ms > 0 ? s.scan_ms / s.query_ms : null),
        fmtRcu(s.scan_rcu),
        fmtRcu(s.query_rcu),
      ]),
    ),
    '',
  ];
}

/** The cached Nest list's req/s as a share of each minimal server's (absent when the references did not run). */
function referenceSection(r: BenchResult): string[] {
  const ref = r.reference;
  if (ref.plain_http_rps === null && ref.express_rps === null) return [];
  const share = (x: number | null) =>
    x && ref.nest_cached_rps !== null ? fmtPct(ref.nest_cached_rps / x) : 'n/a';
  return [
    '## Framework overhead: the cached list vs minimal servers',
    '',
    'Each serves the same cached list body, driven exactly like the list endpoint: from memory, or with one Redis GET per request. ' +
      'The app answers a hit ahead of Express: a URL it has seen from its in-process L1 with no Redis command, after checking the query, ' +
      "the address's read budget and the tag versions and merging the page's seats; its share of plain `node:http` from memory is what all that costs.",
    '',
    table(
      ['server', 'req/s', 'cached Nest list as a share'],
      [
        ...REFERENCE_MODES.filter((m) => ref[REFERENCE_FIELD[m]] !== undefined).map((m) => {
          const rps = ref[REFERENCE_FIELD[m]] ?? null;
          return [REFERENCE_LABEL[m], fmtNum(rps), share(rps)];
        }),
        ['Nest, optimized list (cache hit)', fmtNum(ref.nest_cached_rps), '100%'],
      ],
    ),
    '',
  ];
}

const HOW_TO_READ = [
  '## How to read this',
  '',
  '- req/s counts every response; latency percentiles include every response, and a timed-out request counts at the timeout.',
  '- errors = timeouts + connection errors + 5xx; non-2xx also counts the expected 409/404 of enroll/drop.',
  "- hit rate and RCU/request are deltas of the apps' `/metrics` over the measured window only (warm-up excluded).",
  '- † RCU/request of a window in which no request finished its reads (all timed out): measured afterwards on 3 requests sent one at a time. Without a cache a request reads the same whatever the load; it just did not finish.',
  '',
];
