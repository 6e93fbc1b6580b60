// latest.svg: p99 latency and req/s per configuration, grouped by endpoint, on log scales.
import { CONFIG_NAMES, ConfigName, ENDPOINT_NAMES, EndpointName } from './options';
import type { BenchResult, EndpointResult } from './result';

const COLORS: Record<ConfigName, string> = {
  baseline: '#d1495b',
  index_only: '#edae49',
  cache_only: '#66a182',
  optimized: '#2e4057',
  optimized_no_seats: '#8d96a6',
};

/** Layout, in pixels: the chart's width, each panel's height with its plot area, the margins. */
const W = 960;
const PANEL_H = 300;
const TOP = 60;
const LEFT = 70;
const RIGHT = 20;
const PLOT_H = 200;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const shortNum = (n: number) =>
  n >= 1e6
    ? `${+(n / 1e6).toFixed(1)}M`
    : n >= 1e3
      ? `${+(n / 1e3).toFixed(1)}k`
      : n >= 10
        ? `${Math.round(n)}`
        : `${+n.toFixed(2)}`;

interface Panel {
  title: string;
  unit: string;
  value: (m: EndpointResult) => number;
  label: (v: number) => string;
}

const PANELS: Panel[] = [
  {
    title: 'p99 latency (ms, log scale; lower is better)',
    unit: 'ms',
    value: (m) => m.p99_ms,
    label: (v) => shortNum(v),
  },
  {
    title: 'throughput (req/s, log scale; higher is better)',
    unit: 'req/s',
    value: (m) => m.rps,
    label: (v) => shortNum(v),
  },
];

/** What a panel draws: the configurations and endpoints that ran. */
interface Chart {
  r: BenchResult;
  configs: ConfigName[];
  endpoints: EndpointName[];
}

/** latest.svg: p99 latency and req/s per configuration, grouped by endpoint, log scales (they span decades). */
export function renderSvg(r: BenchResult): string {
  const configs = CONFIG_NAMES.filter((c) => r.configs[c]);
  const endpoints = ENDPOINT_NAMES.filter((e) => configs.some((c) => r.configs[c]?.[e]));
  const chart: Chart = { r, configs, endpoints };
  const parts = [
    ...heading(chart),
    ...PANELS.flatMap((panel, pi) => panelSvg(chart, panel, TOP + pi * PANEL_H + 30)),
    '</svg>',
  ];
  return parts.join('\n') + '\n';
}

/** The <svg> element, its background, the title and one legend entry per configuration. */
function heading({ r, configs }: Chart): string[] {
  const H = TOP + PANELS.length * PANEL_H + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">Caching and indexing: p99 latency and req/s per configuration (${r.dataset.connections} connections)</text>`,
    ...configs.flatMap((c, i) => {
      const x = LEFT + i * 200;
      return [
        `<rect x="${x}" y="38" width="12" height="12" fill="${COLORS[c]}"/>`,
        `<text x="${x + 18}" y="48">${esc(c)}</text>`,
      ];
    }),
  ];
}

/** One panel whose plot starts at `y0`: its title, a grid line per decade, the bars, the axis. */
function panelSvg(chart: Chart, panel: Panel, y0: number): string[] {
  const { r, configs, endpoints } = chart;
  const values = endpoints.flatMap((e) =>
    configs
      .map((c) => r.configs[c]?.[e])
      .filter((m): m is EndpointResult => !!m)
      .map(panel.value),
  );
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  const lo = positive.length ? Math.floor(Math.log10(Math.min(...positive))) : 0;
  const hi = positive.length ? Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...positive)))) : 1;
  const yOf = (v: number) => y0 + PLOT_H - ((Math.log10(v) - lo) / (hi - lo)) * PLOT_H;
  const parts = [
    `<text x="${LEFT}" y="${y0 - 12}" font-size="14" font-weight="bold">${esc(panel.title)}</text>`,
  ];
  for (let d = lo; d <= hi; d++) {
    const y = yOf(10 ** d);
    parts.push(
      `<line x1="${LEFT}" y1="${y.toFixed(1)}" x2="${W - RIGHT}" y2="${y.toFixed(1)}" stroke="#dddddd"/>`,
      `<text x="${LEFT - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" fill="#555555">${shortNum(10 ** d)}</text>`,
    );
  }
  const groupW = (W - LEFT - RIGHT) / Math.max(1, endpoints.length);
  const barW = Math.min(40, (groupW - 30) / Math.max(1, configs.length));
  endpoints.forEach((e, gi) => {
    const gx = LEFT + gi * groupW + (groupW - barW * configs.length) / 2;
    configs.forEach((c, ci) => {
      const m = r.configs[c]?.[e];
      if (m) parts.push(...bar(panel, c, e, m, gx + ci * barW, barW, y0, yOf));
    });
    parts.push(
      `<text x="${(LEFT + gi * groupW + groupW / 2).toFixed(1)}" y="${y0 + PLOT_H + 18}" text-anchor="middle">${esc(e)}</text>`,
    );
  });
  parts.push(
    `<line x1="${LEFT}" y1="${y0 + PLOT_H}" x2="${W - RIGHT}" y2="${y0 + PLOT_H}" stroke="#333333"/>`,
  );
  return parts;
}

/** One configuration's bar with its tooltip and value label; zero or missing values draw no height. */
function bar(
  panel: Panel,
  c: ConfigName,
  e: EndpointName,
  m: EndpointResult,
  x: number,
  barW: number,
  y0: number,
  yOf: (v: number) => number,
): string[] {
  const v = panel.value(m);
  const y = v > 0 && Number.isFinite(v) ? yOf(v) : y0 + PLOT_H;
  return [
    `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(barW - 4).toFixed(1)}" height="${(y0 + PLOT_H - y).toFixed(1)}" fill="${COLORS[c]}"><title>${esc(`${c} ${e}: ${panel.label(v)} ${panel.unit}`)}</title></rect>`,
    `<text x="${(x + (barW - 4) / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle" font-size="10">${esc(panel.label(v))}</text>`,
  ];
}
