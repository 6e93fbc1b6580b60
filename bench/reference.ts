import { join } from 'node:path';
import { freePort, spawnService, waitForHttp } from '@app/local-stack';
import { Cleanup } from './cleanup';
import type { Infra, Paths } from './stack';
import { drive, DriveResult, RequestsFor } from './workload';

export const REFERENCE_MODES = ['memory', 'plain', 'express', 'nest'] as const;
export type ReferenceMode = (typeof REFERENCE_MODES)[number];

/** How each reference is named in progress lines and the report. */
export const REFERENCE_LABEL: Record<ReferenceMode, string> = {
  memory: 'plain `node:http`, the body in memory (no Redis)',
  plain: 'plain `node:http` + ioredis',
  express: 'bare Express 5 + ioredis',
  nest: 'bare Nest 12 (Express adapter, one controller) + ioredis',
};

/** Where each reference's req/s goes in the results. */
export const REFERENCE_FIELD = {
  memory: 'memory_http_rps',
  plain: 'plain_http_rps',
  express: 'express_rps',
  nest: 'nest_bare_rps',
} as const satisfies Record<ReferenceMode, string>;

/**
 * Starts one reference server (its own process), checks it serves the cached body byte for byte,
 * then drives it like the cached Nest list endpoint.
 */
export async function runReference(
  mode: ReferenceMode,
  key: string,
  expected: Buffer,
  infra: Infra,
  paths: Paths,
  cleanup: Cleanup,
  load: {
    connections: number;
    durationS: number;
    warmupS: number;
    timeoutS: number;
    requestsFor: RequestsFor;
  },
): Promise<DriveResult> {
  const port = await freePort();
  const service = await spawnService({
    name: `reference-${mode}`,
    command: process.execPath,
    args: [
      require.resolve('tsx/cli'),
      join(paths.root, 'bench', 'reference-server.ts'),
      mode,
      String(port),
      infra.redisUrl,
      key,
    ],
    cwd: paths.root,
  });
  const stop = cleanup.add(`reference server (${mode})`, () => service.stop(5000));
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/api/courses`, {
      timeoutMs: 30_000,
      abortReason: () =>
        service.isRunning() ? undefined : `reference ${mode} exited:\n${service.tail()}`,
    });
    const body = Buffer.from(await (await fetch(`${base}/api/courses`)).arrayBuffer());
    if (!body.equals(expected))
      throw new Error(`reference ${mode} does not serve the cached list body`);
    if (load.warmupS > 0) await drive({ ...load, baseUrl: base, durationS: load.warmupS });
    return await drive({ ...load, baseUrl: base });
  } finally {
    await stop();
  }
}
