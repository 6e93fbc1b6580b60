import { SEED } from './dataset';
import type { Fixtures } from './fixtures';
import type { Harness } from './harness';
import type { BenchOptions } from './options';
import { REFERENCE_FIELD, REFERENCE_LABEL, REFERENCE_MODES, runReference } from './reference';
import { rawTransactRps } from './raw-transact';
import type { BenchResult } from './result';
import type { RunStack } from './session';
import type { AppsHandle, Log } from './stack';
import { zipfPicker } from './zipf';
import { listPath, listWorkload, LIST_ZIPF_S } from './workload';

/** The optimized list's cached body, stored in Redis for the reference servers. */
export interface ReferenceBody {
  key: string;
  body: Buffer;
}

/** Stores the optimized app's cached list body under a bench key; every reference serves exactly it. */
export async function prepareReferenceBody(
  apps: AppsHandle,
  f: Fixtures,
  { infra, ids }: Pick<RunStack, 'infra' | 'ids'>,
  log: Log,
): Promise<ReferenceBody> {
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

/**
 * The reference phase, after the optimized apps have stopped: a bare `node:http` server, a bare
 * Express app and a bare Nest app serve the stored body with one Redis GET per request, each
 * driven like the list endpoint; their req/s go into `reference`. Then the enroll path's ceiling:
 * raw TransactWriteItems of the same items against the same DynamoDB Local.
 */
export async function runReferencePhase(
  h: Harness,
  { key, body }: ReferenceBody,
  { infra, paths, ids }: Pick<RunStack, 'infra' | 'paths' | 'ids'>,
  f: Fixtures,
  opts: BenchOptions,
  reference: BenchResult['reference'],
): Promise<void> {
  await infra.restartDynamo();
  const load = {
    connections: opts.connections,
    durationS: opts.durationS,
    warmupS: opts.warmupS,
    timeoutS: opts.timeoutS,
    requestsFor: listWorkload(f.keys, SEED),
  };
  for (const mode of REFERENCE_MODES) {
    if (h.interrupted) break;
    h.progress(`reference: ${REFERENCE_LABEL[mode]}, ${opts.durationS} s`);
    const r = await runReference(mode, key, body, infra, paths, h.cleanup, load);
    h.log(`${mode}: ${r.rps} req/s, p99 ${r.p99_ms} ms, errors ${r.errors}`);
    reference[REFERENCE_FIELD[mode]] = r.rps;
  }
  if (h.interrupted || f.pairs.length === 0) return;
  h.progress(`reference: raw TransactWriteItems of enroll/drop, ${opts.durationS} s`);
  reference.raw_transact_rps = await rawTransactRps(infra.dynamo.doc, ids.tablePrefix, f.pairs, {
    concurrency: opts.connections,
    durationS: opts.durationS,
  });
  h.log(`raw TransactWriteItems: ${reference.raw_transact_rps} transactions/s`);
}
