// npm run bench [-- --quick] — drives the four configurations over HTTP (baseline: no cache, Scan +
// filter, N+1 reads, inline email; index_only: GSI Query, BatchGet, queued email, no cache;
// cache_only: the cache over baseline's Scan and N+1 reads, queued email; optimized: cache, GSI
// Query, BatchGet, queued email), the framework references (bare node:http, Express and Nest) and
// the Scan-vs-Query scaling run; writes bench/results/{<timestamp>.json,latest.*}.
import { join, relative, resolve } from 'node:path';
import { runConfigurations } from './configs-phase';
import { fixtureCounts, prepareFixtures } from './fixtures';
import { Harness } from './harness';
import { BenchOptions, parseOptions, USAGE, UsageError } from './options';
import { costOf } from './cost';
import { writeResults } from './results-writer';
import type { BenchResult } from './result';
import type { RunIds } from './configs';
import { buildApps, initialResult, seedOptions, startRun } from './run-setup';
import { runRush } from './rush';
import { runScaling } from './scaling';
import { deleteRunKeys, Infra, startInfra } from './stack';

const root = resolve(__dirname, '..');
const h = new Harness(performance.now());

/** The options, or the exit code when there is nothing to run (--help: 0, a usage error: 2). */
function parseCommandLine(argv: string[]): BenchOptions | number {
  try {
    const parsed = parseOptions(argv);
    if (parsed !== 'help') return parsed;
    process.stdout.write(USAGE + '\n');
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
}

/** The phases in order: build, stack, dataset and configurations (with the references), scaling. */
async function main(): Promise<number> {
  const opts = parseCommandLine(process.argv.slice(2));
  if (typeof opts === 'number') return opts;
  const { stamp, paths, ids } = startRun(h, root, opts);
  await buildApps(h, opts, paths);

  h.progress('starting DynamoDB Local, Redis, SMTP sink');
  const infra = await startInfra(paths, h.cleanup, h.log);
  h.cleanup.add('Redis keys of this run', async () =>
    h.log(`deleted ${await deleteRunKeys(infra.redis, ids.runId)} Redis keys of run ${ids.runId}`),
  );

  if (opts.rush) return rushPhase(infra, ids, opts, stamp);

  const dataOptions = seedOptions(opts);
  const result = initialResult(opts, ids, dataOptions);
  const failures: string[] = [];
  if (opts.http) {
    const fixtures = await prepareFixtures(h, { infra, ids }, opts, dataOptions);
    Object.assign(result.dataset, fixtureCounts(fixtures));
    await runConfigurations(h, { ids, infra, paths }, fixtures, opts, result, failures);
    result.cost = costOf(result.configs);
  }
  if (opts.scaling && !h.interrupted) await runScalingPhase(infra, opts, result, failures);
  if (h.interrupted) return 130;
  return finish(result, stamp, failures);
}

/** The registration rush alone: its own tables, instances and report (bench/results/rush-*). */
async function rushPhase(infra: Infra, ids: RunIds, opts: BenchOptions, stamp: string) {
  const out = await runRush(h, infra, ids, opts, join(root, 'bench', 'results'), stamp);
  h.progress('cleaning up');
  await h.cleanup.run(h.log);
  process.stdout.write(
    `\n${out.summary}\n\nWrote ${out.files.map((p) => relative(root, p)).join(', ')}\n`,
  );
  return out.pass ? 0 : 1;
}

/** Scan + filter vs GSI Query at each table size; a failure is recorded, not thrown. */
async function runScalingPhase(
  infra: Infra,
  opts: BenchOptions,
  result: BenchResult,
  failures: string[],
): Promise<void> {
  try {
    result.scaling = await runScaling(
      infra.dynamo,
      opts.scalingSizes,
      opts.scalingRuns,
      h.progress,
      h.log,
    );
  } catch (err) {
    failures.push(`scaling: ${(err as Error).message}`);
    h.progress(`scaling FAILED: ${(err as Error).message}`);
  }
}

/** Writes the results, cleans up, prints the targets' summary; exit code 1 when a phase failed. */
async function finish(result: BenchResult, stamp: string, failures: string[]): Promise<number> {
  h.progress('writing results');
  const written = writeResults(result, join(root, 'bench', 'results'), stamp);
  h.progress('cleaning up');
  await h.cleanup.run(h.log);
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

h.handleSignals();
main().then(
  async (code) => {
    if (h.interrupted) return; // the signal handler cleans up and exits
    await h.cleanup.run(h.log);
    process.exit(code);
  },
  async (err: Error) => {
    if (h.interrupted) return;
    h.progress(`failed: ${err.stack ?? err.message}`);
    await h.cleanup.run(h.log);
    process.exit(1);
  },
);
