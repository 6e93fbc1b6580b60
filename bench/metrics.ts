/** Prometheus text exposition: just enough parsing for counters and histograms' _count/_sum. */

export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricsSnapshot {
  samples: MetricSample[];
  /** Metric families announced by `# TYPE` (a labelled counter with no samples yet still counts as present). */
  families: Set<string>;
}

const unescapeLabel = (v: string) =>
  v.replace(/\\(["\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : c));

function parseLabels(raw: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const re = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw)) !== null) labels[m[1]] = unescapeLabel(m[2]);
  return labels;
}

function parseValue(raw: string): number {
  if (raw === '+Inf') return Infinity;
  if (raw === '-Inf') return -Infinity;
  return Number(raw);
}

export function parsePrometheus(text: string): MetricsSnapshot {
  const samples: MetricSample[] = [];
  const families = new Set<string>();
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (!line) continue;
    if (line.startsWith('#')) {
      const type = /^#\s*TYPE\s+(\S+)\s+\S+/.exec(line);
      if (type) families.add(type[1]);
      continue;
    }
    const m = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/.exec(line);
    if (!m) continue;
    const value = parseValue(m[3]);
    if (Number.isNaN(value)) continue;
    samples.push({ name: m[1], labels: m[2] ? parseLabels(m[2]) : {}, value });
  }
  return { samples, families };
}

const matches = (labels: Record<string, string>, want: Record<string, string>) =>
  Object.entries(want).every(([k, v]) => labels[k] === v);

/** Sum of every sample of `name` whose labels include `where`; null when the metric does not exist at all. */
export function sumMetric(
  snap: MetricsSnapshot,
  name: string,
  where: Record<string, string> = {},
): number | null {
  let found = snap.families.has(name);
  let sum = 0;
  for (const s of snap.samples) {
    if (s.name !== name) continue;
    found = true;
    if (matches(s.labels, where)) sum += s.value;
  }
  return found ? sum : null;
}

/** after − before of a summed counter; null when absent from either (a restart would make it negative: clamp). */
export function counterDelta(
  before: MetricsSnapshot,
  after: MetricsSnapshot,
  name: string,
  where: Record<string, string> = {},
): number | null {
  const a = sumMetric(before, name, where);
  const b = sumMetric(after, name, where);
  if (a === null || b === null) return null;
  return Math.max(0, b - a);
}

export const CACHE_METRIC = 'cache_requests_total';
export const RCU_METRIC = 'dynamodb_consumed_read_capacity_total';
export const WCU_METRIC = 'dynamodb_consumed_write_capacity_total';
export const HTTP_COUNT = 'http_request_duration_seconds_count';
export const DDB_REQUESTS_METRIC = 'dynamodb_requests_total';

/** API requests the app has finished (its own /metrics and /health routes excluded). */
export function serverRequests(snap: MetricsSnapshot): number {
  let sum = 0;
  for (const s of snap.samples) {
    if (s.name !== HTTP_COUNT) continue;
    const route = s.labels.route ?? '';
    if (route.startsWith('/metrics') || route.startsWith('/health')) continue;
    sum += s.value;
  }
  return sum;
}

/** Changes while the app still works (requests finishing, DynamoDB reads and writes): used to wait until it is idle. */
export function activitySignature(snap: MetricsSnapshot): number {
  return (
    serverRequests(snap) + (sumMetric(snap, RCU_METRIC) ?? 0) + (sumMetric(snap, WCU_METRIC) ?? 0)
  );
}

/** Hits, misses and bypasses of one @Cacheable name over the window. */
export function cacheOutcomes(
  before: MetricsSnapshot,
  after: MetricsSnapshot,
  cacheName: string,
): { hit: number; miss: number; bypass: number } {
  const d = (result: string) =>
    counterDelta(before, after, CACHE_METRIC, { name: cacheName, result }) ?? 0;
  return { hit: d('hit'), miss: d('miss'), bypass: d('bypass') };
}

/** Hits over all lookups (a bypass, when Redis was slow or down, counts as a miss). */
export function cacheHitRate(
  before: MetricsSnapshot,
  after: MetricsSnapshot,
  cacheName: string,
): number | null {
  const { hit, miss, bypass } = cacheOutcomes(before, after, cacheName);
  const total = hit + miss + bypass;
  return total > 0 ? hit / total : null;
}

/**
 * Read capacity (or, with `metric`, write capacity) consumed over the window, all tables and operations, per API request the app
 * finished in the same window (server-side, so a backlog finishing late counts on both sides);
 * `clientResponses` when the app exposes no request counter.
 */
export function unitsPerRequest(
  before: MetricsSnapshot,
  after: MetricsSnapshot,
  clientResponses: number,
  metric: typeof RCU_METRIC | typeof WCU_METRIC = RCU_METRIC,
): number | null {
  const delta = counterDelta(before, after, metric);
  const served = serverRequests(after) - serverRequests(before);
  const requests = served > 0 ? served : clientResponses;
  if (delta === null || requests <= 0) return null;
  return delta / requests;
}

/**
 * DynamoDB commands sent over the window by every app (the endpoint's, and those its work reaches:
 * the outbox relay, the email worker), by operation, per API request the endpoint's app finished;
 * null when no app exposes the counter. `before` and `after` list the same apps in the same order,
 * the endpoint's app first.
 */
export function callsPerRequest(
  before: readonly MetricsSnapshot[],
  after: readonly MetricsSnapshot[],
  clientResponses: number,
): Record<string, number> | null {
  const served = serverRequests(after[0]) - serverRequests(before[0]);
  const requests = served > 0 ? served : clientResponses;
  const calls: Record<string, number> = {};
  let found = false;
  after.forEach((snap, i) => {
    for (const op of new Set(
      snap.samples.filter((x) => x.name === DDB_REQUESTS_METRIC).map((x) => x.labels.operation),
    )) {
      const delta = counterDelta(before[i], snap, DDB_REQUESTS_METRIC, { operation: op });
      if (delta === null) continue;
      found = true;
      if (delta > 0) calls[op] = (calls[op] ?? 0) + delta;
    }
  });
  if (!found || requests <= 0) return null;
  return Object.fromEntries(
    Object.entries(calls)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([op, n]) => [op, Math.round((n / requests) * 1000) / 1000]),
  );
}

/** Scrapes GET /metrics (127.0.0.1 only). */
export async function scrape(baseUrl: string, timeoutMs = 5000): Promise<MetricsSnapshot> {
  const res = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${baseUrl}/metrics answered ${res.status}`);
  return parsePrometheus(text);
}
