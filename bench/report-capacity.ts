// latest.md, for capacity planners: throughput at the SLO, what each configuration costs on AWS,
// how much memory the apps held.
import { MONTHLY_MIX, PRICES } from './cost';
import { CONFIG_NAMES, ENDPOINT_NAMES } from './options';
import type { BenchResult } from './result';
import { fmtMs, fmtNum, table } from './report-format';
import { SLO, SWEEP_RATES } from './slo-sweep';

const fmtUsd = (n: number | null | undefined) =>
  n === null || n === undefined ? 'n/a' : `$${n.toFixed(n < 10 ? 4 : 2)}`;

/** DynamoDB on-demand dollars per million requests and per month at the stated mix (absent without a cost). */
export function costSection(r: BenchResult): string[] {
  if (!r.cost) return [];
  const configs = CONFIG_NAMES.filter((c) => r.cost![c]);
  const mix = Object.entries(MONTHLY_MIX)
    .map(([endpoint, n]) => `${fmtNum(n / 1e6, 1)} M ${endpoint}`)
    .join(', ');
  return [
    '## Cost on AWS',
    '',
    `From the measured read and write units per request, at DynamoDB on-demand prices (${PRICES.region}, ` +
      `${PRICES.as_of}: $${PRICES.usd_per_million_read_units} per million read units, ` +
      `$${PRICES.usd_per_million_write_units} per million write units). The month is ${mix} requests, ` +
      `plus ${PRICES.cache_node.type} cache nodes at $${PRICES.cache_node.usd_per_hour}/h where the configuration caches ` +
      '(a primary and a replica). The original write-up claimed $118 → $68 a month.',
    '',
    table(
      ['config', ...ENDPOINT_NAMES.map((e) => `${e} $/M`), '$/month'],
      configs.map((c) => {
        const cost = r.cost![c]!;
        return [
          c,
          ...ENDPOINT_NAMES.map((e) => fmtUsd(cost.usd_per_million[e])),
          fmtUsd(cost.usd_per_month),
        ];
      }),
    ),
    '',
  ];
}

/** Each app's RSS after start-up and its peak by the end of the list window (absent when not measured). */
export function memorySection(r: BenchResult): string[] {
  const apps = Object.entries(r.memory ?? {});
  if (apps.length === 0) return [];
  return [
    '## Memory (optimized)',
    '',
    table(
      ['app', 'RSS after start-up', 'peak RSS by the end of the list window'],
      apps.map(([app, m]) => [
        app,
        `${fmtNum(m!.idle_rss_mb, 1)} MB`,
        `${fmtNum(m!.peak_rss_mb, 1)} MB`,
      ]),
    ),
    '',
  ];
}

/** A sweep's result, saying when it is a bound: below the ladder's first rate or at its top. */
function sloRate(max: number): string {
  if (max === 0) return `none (< ${fmtNum(SWEEP_RATES[0]!)} req/s)`;
  return max >= SWEEP_RATES[SWEEP_RATES.length - 1]!
    ? `≥ ${fmtNum(max)} req/s (the ladder's top)`
    : `${fmtNum(max)} req/s`;
}

/** The open-loop sweep per configuration (absent when it did not run). */
export function sloSection(r: BenchResult): string[] {
  const configs = CONFIG_NAMES.filter((c) => r.slo?.[c]);
  if (configs.length === 0) return [];
  return [
    '## Throughput at the SLO (open loop)',
    '',
    `Requests arrive at a fixed rate whatever the answers do (latency counted from when each was due, so a server ` +
      `that falls behind is charged for every request it delayed); the rate is stepped up until p99 exceeds ` +
      `${SLO.p99_ms} ms or ${SLO.error_rate * 100}% of requests fail. Then every configuration is measured at ` +
      "one fixed rate, the baseline's highest (the ladder's lowest when it has none).",
    '',
    table(
      ['config', 'highest rate at the SLO', 'fixed rate', 'p50', 'p99'],
      configs.map((c) => {
        const s = r.slo![c]!.list;
        return [
          c,
          sloRate(s.max_rps_at_slo),
          `${fmtNum(s.fixed_rate_rps)} req/s`,
          fmtMs(s.fixed_rate_p50_ms),
          fmtMs(s.fixed_rate_p99_ms),
        ];
      }),
    ),
    '',
  ];
}
