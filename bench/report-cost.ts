// latest.md: what each configuration costs on AWS, and how much memory the apps held.
import { MONTHLY_MIX, PRICES } from './cost';
import { CONFIG_NAMES, ENDPOINT_NAMES } from './options';
import type { BenchResult } from './result';
import { fmtNum, table } from './report-format';

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
