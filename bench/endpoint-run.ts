import { forEachConcurrent } from '@app/data/seed';
import { sendAsDocumented } from '@app/testing/topology';
import { CONFIGS, ENDPOINT_APP } from './configs';
import { startCpuWindow } from './cpu';
import { dropPairs, Fixtures, workloadOf } from './fixtures';
import type { Harness } from './harness';
import {
  cacheHitRate,
  cacheOutcomes,
  MetricsSnapshot,
  unitsPerRequest,
  scrape,
  WCU_METRIC,
} from './metrics';
import type { BenchOptions, EndpointName } from './options';
import { CALLS_PROBES, probeCalls } from './calls-probe';
import { probeRcu, RCU_PROBES } from './rcu-probe';
import type { EndpointResult } from './result';
import { resetIfBusy, Session, waitIdle } from './session';
import { round } from './stats';
import { drive, DriveResult, ListKey, listPath, RequestsFor } from './workload';

/** Warm-up connections: enough to fill the caches and JIT, few enough not to pile up a backlog on the slow paths. */
const WARMUP_CONNECTIONS = 50;

/** One endpoint's run in a configuration's session, as its steps see it. */
interface EndpointRun {
  h: Harness;
  s: Session;
  endpoint: EndpointName;
  opts: BenchOptions;
  /** The serving app's URL now (a restart replaces the apps). */
  url: () => string;
  /** The @Cacheable name whose counters give the hit rate; null when this run does not go through the cache. */
  cacheName: string | null;
  /** How long an app gets to finish what a load left in flight. */
  drainMs: number;
  requestsFor: RequestsFor;
  /** A workload of the endpoint with its own state (the enroll pairs all out). */
  newWorkload: () => RequestsFor;
}

/**
 * One endpoint of one configuration: the warm-up, the measured window, a restart of the apps and
 * DynamoDB Local when a backlog is left over, and the RCU probe when no read of the window
 * finished. The enroll/drop pairs are dropped again whatever happens.
 */
export async function runEndpoint(
  h: Harness,
  s: Session,
  endpoint: EndpointName,
  f: Fixtures,
  opts: BenchOptions,
): Promise<EndpointResult> {
  const { app, cacheName } = ENDPOINT_APP[endpoint];
  const run: EndpointRun = {
    h,
    s,
    endpoint,
    opts,
    url: () => s.apps.urls[app],
    cacheName: CONFIGS[s.config].cache ? cacheName : null,
    drainMs: (opts.quick ? 5 : 15) * 1000,
    requestsFor: workloadOf(endpoint, f),
    newWorkload: () => workloadOf(endpoint, f),
  };
  const undoPairs =
    endpoint === 'enroll'
      ? h.cleanup.add('drop enroll pairs', () => dropPairs(run.url(), f.pairs, h.log))
      : undefined;
  try {
    if (endpoint === 'list' && run.cacheName !== null)
      await requestEveryListKey(h, run.url(), f.keys);
    await warmUp(run);
    const { result, idle, errors } = await measureWindow(run);
    if (endpoint === 'enroll') await undoPairs?.();
    // No read of the window finished: its RCU/req is probed afterwards, on a DynamoDB Local that is
    // not still working through the abandoned requests.
    const probe = endpoint !== 'enroll' && !result.rcu_per_req && errors > 0;
    await resetIfBusy(
      h,
      s,
      !idle || probe,
      `the ${endpoint} run, ${idle ? 'where no read finished,' : 'still busy,'}`,
    );
    result.rcu_source = 'window';
    if (probe) await probeWindowRcu(run, result);
    if (endpoint === 'enroll') await probeWriteCalls(run, result);
    return result;
  } finally {
    h.current = undefined;
    await undoPairs?.();
  }
}

/** One autocannon run of the endpoint's workload; a signal can stop it. */
function load(run: EndpointRun, connections: number, durationS: number): Promise<DriveResult> {
  return drive({
    baseUrl: run.url(),
    connections,
    durationS,
    timeoutS: run.opts.timeoutS,
    requestsFor: run.requestsFor,
    onStart: (i) => (run.h.current = i),
  });
}

/** How often a list key answered 503 (with Retry-After) while priming is sent before the run fails. */
const PRIME_ATTEMPTS = 3;

/**
 * Each list key once, before the list's warm-up: the catalog's steady state, where every
 * semester × department page has been asked for since its last change. Without it the measured
 * window pays the first miss of each rarely drawn key, which says how long the run was, not how
 * well the cache works.
 */
export async function requestEveryListKey(
  h: Harness,
  baseUrl: string,
  keys: readonly ListKey[],
): Promise<void> {
  h.progress(`requesting each of the ${keys.length} list keys once`);
  await forEachConcurrent(keys, 8, async (key) => {
    // A 503 (a Scan past the app's DynamoDB timeout while 8 run at once) is sent again after its
    // Retry-After, as the README tells a client to, up to PRIME_ATTEMPTS times.
    const answers = await sendAsDocumented(async () => {
      const res = await fetch(`${baseUrl}${listPath(key)}`);
      await res.arrayBuffer();
      return { status: res.status, headers: res.headers, body: undefined };
    }, PRIME_ATTEMPTS);
    const last = answers[answers.length - 1]!;
    if (last.status !== 200)
      throw new Error(`${listPath(key)} answered ${last.status} (attempt ${answers.length})`);
  });
}

/** Warm-up: JIT, connection pools and, with the cache on, until the cache answers (≤ 5 warm-ups, 2 when quick). */
async function warmUp(run: EndpointRun): Promise<void> {
  const { h, s, endpoint, opts, cacheName } = run;
  let lastHit = 0;
  const rounds = cacheName !== null ? (opts.quick ? 2 : 5) : 1;
  for (let round = 1; opts.warmupS > 0 && round <= rounds; round++) {
    h.progress(
      `${s.config} › ${endpoint}: warm-up ${opts.warmupS} s${round > 1 ? ` (#${round})` : ''}`,
    );
    const before = cacheName !== null ? await scrape(run.url()) : undefined;
    await load(run, Math.min(opts.connections, WARMUP_CONNECTIONS), opts.warmupS);
    const idle = await waitIdle(run.url(), run.drainMs);
    const hit =
      before && cacheName !== null
        ? cacheHitRate(before, await scrape(run.url()), cacheName)
        : null;
    await resetIfBusy(h, s, !idle, `the ${endpoint} warm-up, still busy,`);
    if (hit === null || hit >= 0.95) break;
    h.log(`warm-up hit rate ${(hit * 100).toFixed(1)}%`);
    // Not getting warmer (the cache is bypassed or timing out): more warm-up will not help.
    if (round > 1 && hit < lastHit + 0.05) break;
    lastHit = hit;
  }
}

/**
 * The measured window: autocannon at full connections, with /metrics scraped and every process's
 * CPU time read at both ends; `idle` says whether the app finished its backlog within the drain time.
 */
async function measureWindow(
  run: EndpointRun,
): Promise<{ result: EndpointResult; idle: boolean; errors: number }> {
  const { h, s, endpoint, opts, cacheName } = run;
  h.progress(`${s.config} › ${endpoint}: ${opts.durationS} s at ${opts.connections} connections`);
  const before = await scrape(run.url());
  const cpuWindow = startCpuWindow({ ...s.apps.pids, ...s.infra.pids() });
  const r = await load(run, opts.connections, opts.durationS);
  h.current = undefined;
  const cpu_cores = cpuWindow();
  const idle = await waitIdle(run.url(), run.drainMs);
  const after = await scrape(run.url());
  const result = windowResult(r, before, after, cacheName, cpu_cores);
  const outcomes = cacheName !== null ? cacheOutcomes(before, after, cacheName) : undefined;
  h.log(windowSummary(endpoint, r, result, outcomes));
  return { result, idle, errors: r.errors };
}

/** The window's figures as latest.json records them (rcu_source follows once the probe is decided). */
function windowResult(
  r: DriveResult,
  before: MetricsSnapshot,
  after: MetricsSnapshot,
  cacheName: string | null,
  cpu_cores: Record<string, number>,
): EndpointResult {
  const result: EndpointResult = {
    rps: r.rps,
    p50_ms: r.p50_ms,
    p95_ms: r.p95_ms,
    p99_ms: r.p99_ms,
    errors: r.errors,
    non2xx: r.non2xx,
    hit_rate: cacheName !== null ? cacheHitRate(before, after, cacheName) : null,
    rcu_per_req: unitsPerRequest(before, after, r.responses),
    wcu_per_req: unitsPerRequest(before, after, r.responses, WCU_METRIC),
    cpu_cores,
  };
  if (result.wcu_per_req != null) result.wcu_per_req = round(result.wcu_per_req, 5);
  if (result.hit_rate !== null) result.hit_rate = round(result.hit_rate, 5);
  if (result.rcu_per_req !== null) result.rcu_per_req = round(result.rcu_per_req, 5);
  return result;
}

/** The detail line after a window: load figures, status codes, cache outcomes, RCU and cores. */
function windowSummary(
  endpoint: EndpointName,
  r: DriveResult,
  result: EndpointResult,
  outcomes: ReturnType<typeof cacheOutcomes> | undefined,
): string {
  const statuses = Object.entries(r.status)
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');
  const cores = Object.entries(result.cpu_cores ?? {})
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return (
    `${endpoint}: ${r.rps} req/s, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms, errors ${r.errors} (timeouts ${r.timeouts}), ` +
    `status ${statuses || 'none'}, hit ${result.hit_rate ?? 'n/a'}` +
    (outcomes
      ? ` (hits ${outcomes.hit}, misses ${outcomes.miss}, bypasses ${outcomes.bypass})`
      : '') +
    `, RCU/req ${result.rcu_per_req ?? 'n/a'}; cores: ${cores}`
  );
}

/** Replaces the window's RCU/req by the probe's (rcu_source 'probe'); unknown (null) when the probe fails. */
async function probeWindowRcu(run: EndpointRun, result: EndpointResult): Promise<void> {
  const { h, endpoint } = run;
  try {
    result.rcu_per_req = round(await probeRcu(run.url(), run.requestsFor(0)[0]), 5);
    result.rcu_source = 'probe';
    h.log(`${endpoint}: ${RCU_PROBES} requests one at a time: RCU/req ${result.rcu_per_req}`);
  } catch (err) {
    h.log(`${endpoint}: RCU probe failed, RCU/req unknown: ${(err as Error).message}`);
    result.rcu_per_req = null;
  }
}

/**
 * The write endpoint's DynamoDB commands per request, on the idle apps after its window (the
 * pairs were dropped again: the probe's enrolls and drops start from the dataset as seeded). Not
 * in a quick run, which must stay under 5 minutes.
 */
async function probeWriteCalls(run: EndpointRun, result: EndpointResult): Promise<void> {
  if (run.opts.quick) return;
  const urls = [run.url(), ...Object.values(run.s.apps.urls).filter((u) => u !== run.url())];
  // A workload of its own: every pair out, as the dataset now is.
  result.ddb_calls_per_req = await probeCalls(urls, run.newWorkload()(0)[0]);
  const calls = Object.entries(result.ddb_calls_per_req ?? {});
  run.h.log(
    `${run.endpoint}: DynamoDB commands per request, ${CALLS_PROBES} sent one at a time: ` +
      (calls.map(([op, n]) => `${op} ${n}`).join(', ') || 'n/a'),
  );
}
