import { setTimeout as sleep } from 'node:timers/promises';
import type { RunIds } from './configs';
import type { Harness } from './harness';
import { activitySignature, scrape } from './metrics';
import type { ConfigName } from './options';
import { AppsHandle, Infra, Paths, startApps } from './stack';

/** What one run started once and every configuration shares. */
export interface RunStack {
  ids: RunIds;
  infra: Infra;
  paths: Paths;
}

/** One configuration's running stack; the apps may be replaced when a backlog has to be dropped. */
export interface Session extends RunStack {
  config: ConfigName;
  apps: AppsHandle;
  /** Apps run under node --cpu-prof. */
  profile: boolean;
}

/** Starts the three apps of `config` on the run's stack. */
export async function startSession(
  h: Harness,
  config: ConfigName,
  stack: RunStack,
  profile: boolean,
): Promise<Session> {
  const { ids, infra, paths } = stack;
  return {
    config,
    ids,
    infra,
    paths,
    apps: await startApps(config, ids, infra, paths, h.cleanup, profile),
    profile,
  };
}

/**
 * Polls the app's /metrics until nothing moves (requests finishing, DynamoDB capacity) for
 * `stableMs`: a closed-loop load leaves up to `connections` requests in flight, and an app keeps
 * working on them after the client has gone.
 */
export async function waitIdle(baseUrl: string, maxMs: number, stableMs = 1000): Promise<boolean> {
  const deadline = performance.now() + maxMs;
  let last = NaN;
  let stableSince = performance.now();
  while (performance.now() < deadline) {
    const sig = await scrape(baseUrl).then(activitySignature, () => NaN);
    if (sig === last) {
      if (performance.now() - stableSince >= stableMs) return true;
    } else {
      last = sig;
      stableSince = performance.now();
    }
    await sleep(250);
  }
  return false;
}

/** waitIdle for several apps at once: whether every one went quiet within `maxMs`. */
export async function settleApps(urls: readonly string[], maxMs: number): Promise<boolean> {
  const idle = await Promise.all(urls.map((url) => waitIdle(url, maxMs)));
  return idle.every(Boolean);
}

/** When the app is still busy after the drain time, restart the apps and DynamoDB Local so the next window starts clean. */
export async function resetIfBusy(
  h: Harness,
  s: Session,
  busy: boolean,
  what: string,
): Promise<void> {
  if (!busy) return;
  h.progress(
    `${s.config}: after ${what} restarting the apps and DynamoDB Local to drop the backlog`,
  );
  await s.apps.stop(2000);
  await s.infra.restartDynamo();
  s.apps = await startApps(s.config, s.ids, s.infra, s.paths, h.cleanup, s.profile);
}
