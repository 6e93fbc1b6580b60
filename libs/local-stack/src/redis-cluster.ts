import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { commandOnPath, LogFn, runToCompletion } from './child-process';
import { freePort } from './free-port';
import { REDIS_MISSING, RedisServerHandle, startRedisServer } from './redis-server';

export interface RedisClusterOptions {
  /** How many masters (no replicas); Redis needs at least 3. */
  masters?: number;
  log?: LogFn;
  /** How long to wait for `cluster_state:ok` on every node. */
  readyTimeoutMs?: number;
}

export interface RedisClusterHandle {
  /** `127.0.0.1:P1,127.0.0.1:P2,…`: the value of REDIS_CLUSTER_NODES. */
  nodes: string;
  ports: number[];
  /** The temporary directory of the nodes' cluster config files. */
  dir: string;
  /** Stops master `i` (its slots become unreachable). */
  stopNode(i: number): Promise<void>;
  /** Starts masters again on their ports and config files, and waits until the cluster is ok. */
  startNode(...indexes: number[]): Promise<void>;
  /** Waits until every running node reports `cluster_state:ok`. */
  waitUntilOk(): Promise<void>;
  /** Stops every node and removes the temporary directory. */
  stop(): Promise<void>;
}

// Short enough that a node coming back is seen within a second or two, not 15 s.
const NODE_TIMEOUT_MS = 2000;

/**
 * A throwaway Redis Cluster of local redis-server processes on free ports (client and bus ports
 * both picked free), slots spread over the masters by `redis-cli --cluster create`, nothing
 * persisted but each node's cluster config, in a temporary directory removed by stop().
 */
export async function startRedisCluster(
  options: RedisClusterOptions = {},
): Promise<RedisClusterHandle> {
  if (!commandOnPath('redis-server') || !commandOnPath('redis-cli')) throw new Error(REDIS_MISSING);
  const count = options.masters ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
  const ports: number[] = [];
  const busPorts: number[] = [];
  const servers: (RedisServerHandle | undefined)[] = [];
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;

  const startNode = async (i: number) => {
    servers[i] = await startRedisServer({
      port: ports[i],
      dir,
      log: options.log,
      extraArgs: [
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${ports[i]}.conf`),
        '--cluster-port',
        String(busPorts[i]),
        '--cluster-node-timeout',
        String(NODE_TIMEOUT_MS),
      ],
    });
  };
  const waitUntilOk = () =>
    waitForClusterOk(
      servers.filter((s): s is RedisServerHandle => s !== undefined).map((s) => s.url),
      readyTimeoutMs,
    );
  const stop = async () => {
    await Promise.all(servers.map((s) => s?.stop()));
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    for (let i = 0; i < count; i++) {
      // Distinct ports: freePort may hand back one just released.
      let port = await freePort();
      while (ports.includes(port) || busPorts.includes(port)) port = await freePort();
      ports.push(port);
      let bus = await freePort();
      while (ports.includes(bus) || busPorts.includes(bus)) bus = await freePort();
      busPorts.push(bus);
    }
    await Promise.all(ports.map((_, i) => startNode(i)));
    await runToCompletion({
      name: 'redis-cli --cluster create',
      command: 'redis-cli',
      args: [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      onLine: options.log,
    });
    await waitUntilOk();
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    nodes: ports.map((p) => `127.0.0.1:${p}`).join(','),
    ports,
    dir,
    stopNode: async (i) => {
      await servers[i]?.stop();
      servers[i] = undefined;
    },
    startNode: async (...indexes) => {
      await Promise.all(indexes.map((i) => startNode(i)));
      await waitUntilOk();
    },
    waitUntilOk,
    stop,
  };
}

/** Polls CLUSTER INFO on every node until each says `cluster_state:ok`, or throws naming the last answer. */
async function waitForClusterOk(urls: readonly string[], timeoutMs: number): Promise<void> {
  const clients = urls.map(
    (url) => new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => 100 }),
  );
  for (const client of clients) client.on('error', () => undefined);
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  try {
    for (;;) {
      try {
        const infos = await Promise.all(
          clients.map((c) => c.call('CLUSTER', 'INFO') as Promise<string>),
        );
        if (infos.every((info) => /^cluster_state:ok\r?$/m.test(info))) return;
        last = infos.map((info) => /^cluster_state:(\w+)/m.exec(info)?.[1]).join(', ');
      } catch (err) {
        last = (err as Error).message;
      }
      if (Date.now() > deadline) {
        throw new Error(`Redis Cluster not ok within ${timeoutMs / 1000} s (last: ${last})`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    for (const client of clients) client.disconnect();
  }
}
