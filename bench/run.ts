// npm run bench [-- --quick] — DESIGN §7: the four configurations driven over HTTP, the Scan-vs-Query
// scaling run and the framework references; writes bench/results/{<timestamp>.json,latest.*}.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { cpus, totalmem, type as osType, release, arch } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type autocannon from 'autocannon';
import { signToken } from '@app/auth';
import { forEachConcurrent } from '@app/data';
import { Cleanup } from './cleanup';
import { APP_NAMES, appOverrides, CONFIGS, ENDPOINT_APP, RunIds } from './configs';
import { ensureDataset, pickEnrollPairs, SEED, studentIds } from './dataset';
import { startCpuWindow } from './cpu';
import { activitySignature, cacheHitRate, cacheOutcomes, rcuPerRequest, scrape } from './metrics';
import { BenchOptions, ConfigName, EndpointName, parseOptions, USAGE, UsageError } from './options';
import { REFERENCE_FIELD, REFERENCE_LABEL, REFERENCE_MODES, runReference } from './reference';
import { writeResults } from './results-writer';
import type { BenchResult, EndpointResult } from './result';
import { runScaling } from './scaling';
import {
  acquireLock,
  AppsHandle,
  build,
  deleteRunKeys,
  Infra,
  Paths,
  startApps,
  startInfra,
} from './stack';
import { round } from './stats';
import { zipfPicker } from './zipf';
import {
  detailWorkload,
  drive,
  enrollWorkload,
  EnrollPair,
  LIST_LIMIT,
  LIST_ZIPF_S,
  DETAIL_ZIPF_S,
  listKeys,
  listPath,
  listWorkload,
  myEnrollmentsWorkload,
  RequestsFor,
} from './workload';

const MY_ENROLLMENTS_STUDENTS = 500;
/** Warm-up connections: enough to fill the caches and JIT, few enough not to pile up a backlog on the slow paths. */
const WARMUP_CONNECTIONS = 50;

const root = resolve(__dirname, '..');
const startedAt = performance.now();
const clock = () => {
  const s = Math.floor((performance.now() - startedAt) / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};
/** The progress line: which phase runs now. */
const progress = (line: string) => process.stderr.write(`[bench ${clock()}] ${line}\n`);
const log = (line: string) =>
  process.stderr.write(`${' '.repeat(14)}${line.replace(/\n/g, `\n${' '.repeat(14)}`)}\n`);

const cleanup = new Cleanup();
let current: autocannon.Instance | undefined;
let interrupted = false;

let interruptedAt = 0;

function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) {
    // A terminal's Ctrl-C reaches this process twice (directly and relayed by tsx): only a later one forces.
    if (performance.now() - interruptedAt < 1500) return;
    process.stderr.write('forced exit\n');
    process.exit(130);
  }
  interrupted = true;
  interruptedAt = performance.now();
  progress(`${signal}: stopping the load and cleaning up (again to force)`);
  current?.stop();
  void cleanup.run(log).finally(() => process.exit(130));
}

interface Fixtures {
  keys: ReturnType<typeof listKeys>;
  courseIds: string[];
  tokens: string[];
  pairs: EnrollPair[];
}

function machine(): BenchResult['machine'] {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpu_model: cpu[0]?.model.trim() ?? 'unknown',
    mem_gb: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    os: `${osType()} ${release()} ${arch()}`,
  };
}

function workloadOf(endpoint: EndpointName, f: Fixtures): RequestsFor {
  switch (endpoint) {
    case 'list':
      return listWorkload(f.keys, SEED);
    case 'detail':
      return detailWorkload(f.courseIds, SEED + 1);
    case 'my_enrollments':
      return myEnrollmentsWorkload(f.tokens);
    case 'enroll':
      return enrollWorkload(f.pairs);
  }
}

/** Drops every enroll/drop pair again (204 or 404 are both fine): the dataset ends as it started. */
async function dropPairs(baseUrl: string, pairs: EnrollPair[]): Promise<void> {
  const odd: string[] = [];
  await forEachConcurrent(pairs, 20, async (p) => {
    const res = await fetch(`${baseUrl}/api/enrollments/${encodeURIComponent(p.course_id)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${p.token}` },
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer();
    if (res.status !== 204 && res.status !== 404)
      odd.push(`${p.user_id}/${p.course_id}: ${res.status}`);
  });
  if (odd.length > 0)
    log(
      `dropping the enroll pairs: ${odd.length} unexpected answers, e.g. ${odd.slice(0, 3).join(', ')}`,
    );
}

/** One configuration's running stack; the apps may be replaced when a backlog has to be dropped. */
interface Session {
  config: ConfigName;
  ids: RunIds;
  infra: Infra;
  paths: Paths;
  apps: AppsHandle;
  /** Apps run under node --cpu-prof. */
  profile: boolean;
}

/**
 * Polls the app's /metrics until nothing moves (requests finishing, DynamoDB capacity) for a
 * second: a closed-loop load leaves up to `connections` requests in flight, and an app keeps
 * working on them after the client has gone.
 */
async function waitIdle(baseUrl: string, maxMs: number): Promise<boolean> {
  const deadline = performance.now() + maxMs;
  let last = NaN;
  let stableSince = performance.now();
  while (performance.now() < deadline) {
    const sig = await scrape(baseUrl).then(activitySignature, () => NaN);
    if (sig === last) {
      if (performance.now() - stableSince >= 1000) return true;
    } else {
      last = sig;
      stableSince = performance.now();
    }
    await sleep(250);
  }
  return false;
}

/** When the app is still busy after the drain time, restart the apps and DynamoDB Local so the next window starts clean. */
async function resetIfBusy(s: Session, busy: boolean, what: string): Promise<void> {
  if (!busy) return;
  progress(`${s.config}: after ${what} restarting the apps and DynamoDB Local to drop the backlog`);
  await s.apps.stop(2000);
  await s.infra.restartDynamo();
  s.apps = await startApps(s.config, s.ids, s.infra, s.paths, cleanup, s.profile);
}

async function runEndpoint(
  s: Session,
  endpoint: EndpointName,
  f: Fixtures,
  opts: BenchOptions,
): Promise<EndpointResult> {
  const { config } = s;
  const { app, cacheName } = ENDPOINT_APP[endpoint];
  const url = () => s.apps.urls[app];
  const cached = CONFIGS[config].cache && cacheName !== null;
  const drainMs = (opts.quick ? 5 : 15) * 1000;
  const requestsFor = workloadOf(endpoint, f);
  const undoPairs =
    endpoint === 'enroll'
      ? cleanup.add('drop enroll pairs', () => dropPairs(url(), f.pairs))
      : undefined;
  try {
    if (endpoint === 'list' && cached) await requestEveryListKey(url(), f);
    // Warm-up: JIT, connection pools and, with the cache on, until the cache answers (≤ 5 warm-ups, 2 when quick).
    let lastHit = 0;
    const rounds = cached ? (opts.quick ? 2 : 5) : 1;
    for (let round = 1; opts.warmupS > 0 && round <= rounds; round++) {
      progress(
        `${config} › ${endpoint}: warm-up ${opts.warmupS} s${round > 1 ? ` (#${round})` : ''}`,
      );
      const before = cached ? await scrape(url()) : undefined;
      await drive({
        baseUrl: url(),
        connections: Math.min(opts.connections, WARMUP_CONNECTIONS),
        durationS: opts.warmupS,
        timeoutS: opts.timeoutS,
        requestsFor,
        onStart: (i) => (current = i),
      });
      const idle = await waitIdle(url(), drainMs);
      const hit = before && cacheName ? cacheHitRate(before, await scrape(url()), cacheName) : null;
      await resetIfBusy(s, !idle, `the ${endpoint} warm-up, still busy,`);
      if (hit === null || hit >= 0.95) break;
      log(`warm-up hit rate ${(hit * 100).toFixed(1)}%`);
      // Not getting warmer (the cache is bypassed or timing out): more warm-up will not help.
      if (round > 1 && hit < lastHit + 0.05) break;
      lastHit = hit;
    }
    progress(`${config} › ${endpoint}: ${opts.durationS} s at ${opts.connections} connections`);
    const before = await scrape(url());
    const cpuWindow = startCpuWindow({ ...s.apps.pids, ...s.infra.pids() });
    const r = await drive({
      baseUrl: url(),
      connections: opts.connections,
      durationS: opts.durationS,
      timeoutS: opts.timeoutS,
      requestsFor,
      onStart: (i) => (current = i),
    });
    current = undefined;
    const cpu_cores = cpuWindow();
    const idle = await waitIdle(url(), drainMs);
    const after = await scrape(url());
    const result: EndpointResult = {
      rps: r.rps,
      p50_ms: r.p50_ms,
      p95_ms: r.p95_ms,
      p99_ms: r.p99_ms,
      errors: r.errors,
      non2xx: r.non2xx,
      hit_rate: cached ? cacheHitRate(before, after, cacheName) : null,
      rcu_per_req: rcuPerRequest(before, after, r.responses),
      cpu_cores,
    };
    if (result.hit_rate !== null) result.hit_rate = round(result.hit_rate, 5);
    if (result.rcu_per_req !== null) result.rcu_per_req = round(result.rcu_per_req, 5);
    const outcomes = cached ? cacheOutcomes(before, after, cacheName) : undefined;
    const statuses = Object.entries(r.status)
      .map(([k, v]) => `${k}×${v}`)
      .join(' ');
    log(
      `${endpoint}: ${r.rps} req/s, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms, errors ${r.errors} (timeouts ${r.timeouts}), ` +
        `status ${statuses || 'none'}, hit ${result.hit_rate ?? 'n/a'}` +
        (outcomes
          ? ` (hits ${outcomes.hit}, misses ${outcomes.miss}, bypasses ${outcomes.bypass})`
          : '') +
        `, RCU/req ${result.rcu_per_req ?? 'n/a'}; cores: ${Object.entries(cpu_cores)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
    );
    if (endpoint === 'enroll') await undoPairs?.();
    // No read of the window finished: its RCU/req is probed afterwards, on a DynamoDB Local that is
    // not still working through the abandoned requests.
    const probe = endpoint !== 'enroll' && !result.rcu_per_req && r.errors > 0;
    await resetIfBusy(
      s,
      !idle || probe,
      `the ${endpoint} run, ${idle ? 'where no read finished,' : 'still busy,'}`,
    );
    result.rcu_source = 'window';
    if (probe) {
      try {
        result.rcu_per_req = round(await probeRcu(url(), requestsFor(0)[0]), 5);
        result.rcu_source = 'probe';
        log(`${endpoint}: ${RCU_PROBES} requests one at a time: RCU/req ${result.rcu_per_req}`);
      } catch (err) {
        log(`${endpoint}: RCU probe failed, RCU/req unknown: ${(err as Error).message}`);
        result.rcu_per_req = null;
      }
    }
    return result;
  } finally {
    current = undefined;
    await undoPairs?.();
  }
}

const RCU_PROBES = 3;

/**
 * Read capacity per request of a read endpoint, from requests sent one at a time (nothing else
 * running): for a window in which every request timed out under load, so its reads never finished
 * and the window's RCU/req says nothing. Without a cache, what a request reads does not depend on
 * the load, only on whether it finishes.
 */
async function probeRcu(baseUrl: string, template: autocannon.Request): Promise<number> {
  const before = await scrape(baseUrl);
  for (let i = 0; i < RCU_PROBES; i++) {
    const req =
      typeof template.setupRequest === 'function'
        ? template.setupRequest({ ...template, headers: { ...template.headers } }, {})
        : template;
    const res = await fetch(`${baseUrl}${req.path}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      signal: AbortSignal.timeout(60_000),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`RCU probe ${req.path} answered ${res.status}`);
  }
  return rcuPerRequest(before, await scrape(baseUrl), RCU_PROBES) ?? 0;
}

/**
 * Each list key once, before the list's warm-up: the catalog's steady state, where every
 * semester × department page has been asked for since its last change. Without it the measured
 * window pays the first miss of each rarely drawn key, which says how long the run was, not how
 * well the cache works.
 */
async function requestEveryListKey(baseUrl: string, f: Fixtures): Promise<void> {
  progress(`requesting each of the ${f.keys.length} list keys once`);
  await forEachConcurrent(f.keys, 8, async (key) => {
    const res = await fetch(`${baseUrl}${listPath(key)}`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${listPath(key)} answered ${res.status}`);
  });
}

async function runConfig(
  session: Session,
  f: Fixtures,
  opts: BenchOptions,
  result: BenchResult,
): Promise<void> {
  const results: Partial<Record<EndpointName, EndpointResult>> = {};
  result.configs[session.config] = results;
  for (const endpoint of opts.endpoints) {
    if (interrupted) break;
    results[endpoint] = await runEndpoint(session, endpoint, f, opts);
  }
  log(`${session.config}: ${session.infra.sink.messages.length} emails reached the SMTP sink`);
  session.infra.sink.clear();
}

/** Stores the optimized app's cached list body under a bench key; both references serve exactly it. */
async function prepareReferenceBody(
  apps: AppsHandle,
  f: Fixtures,
  infra: Infra,
  ids: RunIds,
): Promise<{ key: string; body: Buffer }> {
  const res = await fetch(
    `${apps.urls.courses}${listPath(zipfPicker(f.keys, LIST_ZIPF_S, SEED).ranked[0])}`,
  );
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200)
    throw new Error(`the optimized list answered ${res.status}: ${body.toString().slice(0, 200)}`);
  const key = `bench:${ids.runId}:ref:list`;
  await infra.redis.set(key, body);
  log(
    `reference body: ${body.length} bytes (${res.headers.get('x-cache') ?? 'no X-Cache'}) stored at ${key}`,
  );
  return { key, body };
}

async function main(): Promise<number> {
  let opts: BenchOptions;
  try {
    const parsed = parseOptions(process.argv.slice(2));
    if (parsed === 'help') {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    opts = parsed;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const paths: Paths = {
    root,
    dataDir: join(root, '.data', 'bench'),
    logDir: join(root, '.data', 'bench', 'logs', stamp),
  };
  mkdirSync(paths.logDir, { recursive: true });
  acquireLock(join(paths.dataDir, 'bench.lock'), cleanup);
  const ids: RunIds = {
    runId: `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`,
    tablePrefix: opts.quick ? 'bench_quick_' : 'bench_full_',
    jwtSecret: randomBytes(32).toString('hex'),
    cursorSecret: randomBytes(32).toString('hex'),
  };
  progress(
    `${opts.quick ? 'quick' : 'full'} run ${ids.runId}; logs in ${relative(root, paths.logDir)}`,
  );

  if (opts.build) {
    progress('npm run build');
    await build(paths, log);
  }
  if (opts.http) {
    const missing = APP_NAMES.map((a) => join(root, 'dist', 'apps', a, 'main.js')).filter(
      (p) => !existsSync(p),
    );
    if (missing.length > 0)
      throw new Error(
        `missing ${missing.map((p) => relative(root, p)).join(', ')}: run npm run build (or drop --no-build)`,
      );
  }

  progress('starting DynamoDB Local, Redis, SMTP sink');
  const infra = await startInfra(paths, cleanup, log);
  cleanup.add('Redis keys of this run', async () =>
    log(`deleted ${await deleteRunKeys(infra.redis, ids.runId)} Redis keys of run ${ids.runId}`),
  );

  const dataOptions = { ...opts.dataset, semesters: 4, departments: 20, seed: SEED };
  const result: BenchResult = {
    machine: machine(),
    dataset: {
      ...opts.dataset,
      semesters: dataOptions.semesters,
      departments: dataOptions.departments,
      seed: SEED,
      table_prefix: ids.tablePrefix,
      quick: opts.quick,
      connections: opts.connections,
      duration_s: opts.durationS,
      warmup_s: opts.warmupS,
      timeout_s: opts.timeoutS,
      list_limit: LIST_LIMIT,
      zipf_s: { list: LIST_ZIPF_S, detail: DETAIL_ZIPF_S },
      app_overrides: appOverrides(),
    },
    configs: {},
    scaling: [],
    reference: {
      plain_http_rps: null,
      express_rps: null,
      nest_bare_rps: null,
      nest_cached_rps: null,
    },
  };
  const failures: string[] = [];

  if (opts.http) {
    progress(
      `dataset: ${opts.dataset.courses} courses, ${opts.dataset.users} users, ${opts.dataset.enrollments} enrollments`,
    );
    const { data, seeded } = await ensureDataset(infra.dynamo, ids.tablePrefix, dataOptions, log);
    if (!seeded)
      log(`dataset already present under ${ids.tablePrefix}* (marker item matches), not reseeded`);
    const students = studentIds(data);
    const tokenOf = (sub: string) =>
      signToken({ sub, role: 'student', email: `${sub}@example.edu` }, ids.jwtSecret, '6h');
    // Readers are the first students, enroll/drop pairs use the last ones: the mixes never touch each other's users.
    const readers = students.slice(
      0,
      Math.min(MY_ENROLLMENTS_STUDENTS, Math.floor(students.length / 2)),
    );
    const writers = students.slice(readers.length).reverse();
    const candidates = pickEnrollPairs(data, writers, opts.connections, SEED);
    const fixtures: Fixtures = {
      keys: listKeys(data.courses),
      courseIds: data.courses.map((c) => c.course_id),
      tokens: await Promise.all(readers.map(tokenOf)),
      pairs: await Promise.all(
        candidates.map(async (p) => ({ ...p, token: await tokenOf(p.user_id) })),
      ),
    };
    Object.assign(result.dataset, {
      list_keys: fixtures.keys.length,
      my_enrollments_students: fixtures.tokens.length,
      enroll_pairs: fixtures.pairs.length,
    });

    for (const [i, config] of opts.configs.entries()) {
      if (interrupted) break;
      let session: Session | undefined;
      try {
        if (i > 0) await infra.restartDynamo(); // nothing left over from the previous configuration
        progress(`${config}: starting ${APP_NAMES.join(', ')}`);
        session = {
          config,
          ids,
          infra,
          paths,
          apps: await startApps(config, ids, infra, paths, cleanup, opts.profile),
          profile: opts.profile,
        };
        await runConfig(session, fixtures, opts, result);
        if (config === 'optimized' && opts.reference && !interrupted) {
          const { key, body } = await prepareReferenceBody(session.apps, fixtures, infra, ids);
          result.reference.nest_cached_rps = result.configs.optimized?.list?.rps ?? null;
          progress(`${config}: stopping the apps`);
          const apps = session.apps;
          session = undefined;
          await apps.stop();
          await infra.restartDynamo();
          const load = {
            connections: opts.connections,
            durationS: opts.durationS,
            warmupS: opts.warmupS,
            timeoutS: opts.timeoutS,
            requestsFor: listWorkload(fixtures.keys, SEED),
          };
          for (const mode of REFERENCE_MODES) {
            if (interrupted) break;
            progress(`reference: ${REFERENCE_LABEL[mode]}, ${opts.durationS} s`);
            const r = await runReference(mode, key, body, infra, paths, cleanup, load);
            log(`${mode}: ${r.rps} req/s, p99 ${r.p99_ms} ms, errors ${r.errors}`);
            result.reference[REFERENCE_FIELD[mode]] = r.rps;
          }
        }
      } catch (err) {
        if (interrupted) break;
        failures.push(`${config}: ${(err as Error).message}`);
        progress(`${config} FAILED: ${(err as Error).message}`);
      } finally {
        if (session) {
          progress(`${config}: stopping the apps`);
          await session.apps.stop();
        }
      }
    }
  }

  if (opts.scaling && !interrupted) {
    try {
      result.scaling = await runScaling(
        infra.dynamo,
        opts.scalingSizes,
        opts.scalingRuns,
        progress,
        log,
      );
    } catch (err) {
      failures.push(`scaling: ${(err as Error).message}`);
      progress(`scaling FAILED: ${(err as Error).message}`);
    }
  }
  if (interrupted) return 130;

  progress('writing results');
  const written = writeResults(result, join(root, 'bench', 'results'), stamp);
  progress('cleaning up');
  await cleanup.run(log);
  process.stdout.write(
    `\n${written.summary}\n\nWrote ${written.files.map((p) => relative(root, p)).join(', ')}\n`,
  );
  if (failures.length > 0) {
    process.stderr.write(
      `\n${failures.length} phase(s) failed:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`,
    );
    return 1;
  }
  return 0;
}

process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('SIGHUP', onSignal);
main().then(
  async (code) => {
    if (interrupted) return; // the signal handler cleans up and exits
    await cleanup.run(log);
    process.exit(code);
  },
  async (err: Error) => {
    if (interrupted) return;
    progress(`failed: ${err.stack ?? err.message}`);
    await cleanup.run(log);
    process.exit(1);
  },
);
