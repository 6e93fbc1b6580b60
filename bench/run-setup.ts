import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { arch, cpus, release, totalmem, type as osType } from 'node:os';
import { join, relative } from 'node:path';
import type { SeedOptions } from '@app/data/seed';
import { APP_NAMES, appOverrides, RunIds } from './configs';
import { SEED } from './dataset';
import type { Harness } from './harness';
import type { BenchOptions } from './options';
import type { BenchResult } from './result';
import { acquireLock, build, Paths } from './stack';
import { round } from './stats';
import { DETAIL_ZIPF_S, LIST_LIMIT, LIST_ZIPF_S } from './workload';

/** The run's timestamp (file names of its results and logs), its directories and its ids; takes the lock. */
export function startRun(
  h: Harness,
  root: string,
  opts: BenchOptions,
): { stamp: string; paths: Paths; ids: RunIds } {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const paths: Paths = {
    root,
    dataDir: join(root, '.data', 'bench'),
    logDir: join(root, '.data', 'bench', 'logs', stamp),
  };
  mkdirSync(paths.logDir, { recursive: true });
  acquireLock(join(paths.dataDir, 'bench.lock'), h.cleanup);
  const ids: RunIds = {
    runId: `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`,
    tablePrefix: opts.quick ? 'bench_quick_' : 'bench_full_',
    jwtSecret: randomBytes(32).toString('hex'),
    cursorSecret: randomBytes(32).toString('hex'),
  };
  h.progress(
    `${opts.quick ? 'quick' : 'full'} run ${ids.runId}; logs in ${relative(root, paths.logDir)}`,
  );
  return { stamp, paths, ids };
}

/** npm run build unless --no-build; the HTTP phases then need the three apps in dist/. */
export async function buildApps(h: Harness, opts: BenchOptions, paths: Paths): Promise<void> {
  if (opts.build) {
    h.progress('npm run build');
    await build(paths, h.log);
  }
  if (opts.http) {
    const missing = APP_NAMES.map((a) => join(paths.root, 'dist', 'apps', a, 'main.js')).filter(
      (p) => !existsSync(p),
    );
    if (missing.length > 0)
      throw new Error(
        `missing ${missing.map((p) => relative(paths.root, p)).join(', ')}: run npm run build (or drop --no-build)`,
      );
  }
}

/** The seeded dataset: the chosen sizes over 4 semesters and 20 departments. */
export function seedOptions(opts: BenchOptions): SeedOptions {
  return { ...opts.dataset, semesters: 4, departments: 20, seed: SEED };
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

/** The result before any phase ran: the machine, the dataset and the load, no measurements. */
export function initialResult(
  opts: BenchOptions,
  ids: RunIds,
  dataOptions: SeedOptions,
): BenchResult {
  return {
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
      memory_http_rps: null,
      plain_http_rps: null,
      express_rps: null,
      nest_bare_rps: null,
      nest_cached_rps: null,
    },
  };
}
