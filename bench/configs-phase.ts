import { APP_NAMES, CONFIGS } from './configs';
import type { AppName } from './configs';
import { readRss } from './memory';
import { SEED } from './dataset';
import { resetIfBusy, settleApps, waitIdle } from './session';
import { QUICK_SWEEP_RATES, sweep, SWEEP_RATES } from './slo-sweep';
import { listPath, LIST_ZIPF_S } from './workload';
import { zipfPicker } from './zipf';
import type { RssReading } from './memory';
import { requestEveryListKey, runEndpoint } from './endpoint-run';
import type { Fixtures } from './fixtures';
import type { Harness } from './harness';
import type { BenchOptions, ConfigName, EndpointName } from './options';
import { prepareReferenceBody, runReferencePhase } from './reference-phase';
import type { BenchResult, EndpointResult } from './result';
import { RunStack, Session, startSession } from './session';

/**
 * The configurations phase: each selected configuration's apps on a freshly restarted DynamoDB
 * Local, its endpoints one after another, and after `optimized` the reference phase. A failing
 * configuration is recorded in `failures` and the next one still runs.
 */
export async function runConfigurations(
  h: Harness,
  stack: RunStack,
  fixtures: Fixtures,
  opts: BenchOptions,
  result: BenchResult,
  failures: string[],
): Promise<void> {
  for (const [i, config] of opts.configs.entries()) {
    if (h.interrupted) break;
    let session: Session | undefined;
    try {
      if (i > 0) await stack.infra.restartDynamo(); // nothing left over from the previous configuration
      h.progress(`${config}: starting ${APP_NAMES.join(', ')}`);
      session = await startSession(h, config, stack, opts.profile);
      await runEndpoints(h, session, fixtures, opts, result);
      if (opts.sloStepS > 0 && sweeps(opts, config) && !h.interrupted)
        await runSloSweep(h, session, fixtures, opts, result);
      if (config === 'optimized' && opts.reference && !h.interrupted) {
        const ref = await prepareReferenceBody(session.apps, fixtures, stack, h.log);
        result.reference.nest_cached_rps = result.configs.optimized?.list?.rps ?? null;
        // The references run without the apps: stopped here, so not again below.
        h.progress(`${config}: stopping the apps`);
        const apps = session.apps;
        session = undefined;
        await apps.stop();
        await runReferencePhase(h, ref, stack, fixtures, opts, result.reference);
      }
    } catch (err) {
      if (h.interrupted) break;
      failures.push(`${config}: ${(err as Error).message}`);
      h.progress(`${config} FAILED: ${(err as Error).message}`);
    } finally {
      if (session) {
        h.progress(`${config}: stopping the apps`);
        await session.apps.stop();
      }
    }
  }
}

/** One configuration's endpoints, one after another, into `result.configs[config]`. */
async function runEndpoints(
  h: Harness,
  session: Session,
  f: Fixtures,
  opts: BenchOptions,
  result: BenchResult,
): Promise<void> {
  const results: Partial<Record<EndpointName, EndpointResult>> = {};
  result.configs[session.config] = results;
  const idle = session.config === 'optimized' ? appsRss(session) : undefined;
  for (const endpoint of opts.endpoints) {
    if (h.interrupted) break;
    if (!runsEndpoint(opts, session.config, endpoint)) continue;
    results[endpoint] = await runEndpoint(h, session, endpoint, f, opts);
    if (idle && endpoint === 'list') result.memory = memoryAfterList(idle, appsRss(session));
  }
  h.log(`${session.config}: ${session.infra.sink.messages.length} emails reached the SMTP sink`);
  session.infra.sink.clear();
}

/** Each app's RSS reading now (apps whose /proc entry cannot be read are left out). */
function appsRss(session: Session): Partial<Record<AppName, RssReading>> {
  const out: Partial<Record<AppName, RssReading>> = {};
  for (const [app, pid] of Object.entries(session.apps.pids) as [AppName, number][]) {
    const r = readRss(pid);
    if (r) out[app] = r;
  }
  return out;
}

/** RSS after start-up and the high-water mark by the end of the list window, per app. */
function memoryAfterList(
  idle: Partial<Record<AppName, RssReading>>,
  end: Partial<Record<AppName, RssReading>>,
): NonNullable<BenchResult['memory']> {
  const out: NonNullable<BenchResult['memory']> = {};
  for (const app of APP_NAMES) {
    const a = idle[app];
    const b = end[app];
    if (a && b) out[app] = { idle_rss_mb: a.rss_mb, peak_rss_mb: Math.max(b.hwm_mb, b.rss_mb) };
  }
  return out;
}

/**
 * The open-loop sweep of the list: arrival rates stepped up until p99 or errors miss the SLO, then
 * the fixed rate (the baseline's highest rate at the SLO, so every configuration is compared at a
 * load the baseline sustains). A backlog a step leaves is drained, or the apps restarted, before the next.
 */
async function runSloSweep(
  h: Harness,
  s: Session,
  f: Fixtures,
  opts: BenchOptions,
  result: BenchResult,
): Promise<void> {
  const pick = zipfPicker(f.keys, LIST_ZIPF_S, SEED);
  const url = () => s.apps.urls.courses;
  // From the state the list window started in: every app idle (an enroll window leaves writes
  // queued and emails to send for up to a minute) and, with the cache, every page asked for since
  // the enrolls' seat bumps; otherwise the lowest rates measure those re-reads, not the rate.
  const idle = await settleApps(Object.values(s.apps.urls), SLO_SETTLE_MS);
  await resetIfBusy(h, s, !idle, 'the endpoints');
  if (CONFIGS[s.config].cache) await requestEveryListKey(h, url(), f.keys);
  h.progress(`${s.config} › list: open-loop sweep, ${opts.sloStepS} s per rate`);
  const list = await sweep({
    baseUrl: url,
    requestAt: () => ({ path: listPath(pick.next()) }),
    stepS: opts.sloStepS,
    rates: opts.quick ? QUICK_SWEEP_RATES : SWEEP_RATES,
    timeoutS: opts.timeoutS,
    // The baseline is measured at its own highest rate; the others at the baseline's, when it ran.
    fixedRate: (own) =>
      Math.max(
        SWEEP_RATES[0],
        s.config === 'baseline' ? own : (result.slo?.baseline?.list.max_rps_at_slo ?? 0),
      ),
    log: h.log,
    between: async () =>
      resetIfBusy(
        h,
        s,
        !(await waitIdle(url(), SLO_DRAIN_MS, SLO_STABLE_MS)),
        'the open-loop step',
      ),
  });
  (result.slo ??= {})[s.config] = { list };
  h.log(
    `${s.config}: ${list.max_rps_at_slo} req/s at the SLO; at ${list.fixed_rate_rps} req/s p99 ${list.fixed_rate_p99_ms} ms`,
  );
}

/**
 * Whether the configuration gets the open-loop sweep: every one, but in a quick run only the two
 * its headline ratios compare (baseline and optimized), which keeps the quick run under 5 minutes.
 */
export function sweeps(opts: Pick<BenchOptions, 'quick'>, config: ConfigName): boolean {
  return !opts.quick || config === 'baseline' || config === 'optimized';
}

/**
 * Whether the configuration runs the endpoint: every one, but in a quick run enroll/drop only in
 * optimized, the one the enroll target reads (each enroll window costs ~30 s there: its backlog on
 * DynamoDB Local, the pairs dropped again, the restart), which keeps the quick run under 5 minutes.
 */
export function runsEndpoint(
  opts: Pick<BenchOptions, 'quick'>,
  config: ConfigName,
  endpoint: EndpointName,
): boolean {
  return !opts.quick || endpoint !== 'enroll' || config === 'optimized';
}

/** How long the endpoints' aftermath (queued writes, emails) may take before the sweep restarts the apps. */
const SLO_SETTLE_MS = 60_000;
/** How long a step's backlog may take to drain before the apps are restarted. */
const SLO_DRAIN_MS = 15_000;
/**
 * Nothing finished for this long after a step: its backlog is gone. Shorter than after a closed-
 * loop window: an open-loop step that passed leaves none, and a slow request still reads (its
 * Scan pages move the read-capacity counter) or times out well within it.
 */
const SLO_STABLE_MS = 500;
