import { Cluster, Redis } from 'ioredis';
import { parseClusterNodes } from '@app/common';
import type { RedisClient } from '@app/common';
import {
  deleteKeysMatching,
  RedisClusterHandle,
  RedisServerHandle,
  startRedisCluster,
  startRedisServer,
} from '@app/local-stack';

/**
 * Where a spec's Redis runs: `machine`, the shared server at REDIS_URL (never stopped); `server`,
 * a redis-server of the spec's own; `cluster`, a three-master Redis Cluster of its own.
 */
export type RedisTopology = 'machine' | 'server' | 'cluster';

/** A spec's Redis, whatever its topology: the settings that point an app at it, and an admin client. */
export interface TestRedis {
  readonly topology: RedisTopology;
  /** REDIS_URL, or REDIS_CLUSTER_NODES: merge into the app's environment. */
  readonly env: Record<string, string>;
  /** For arranging and inspecting keys (single-key commands route on a cluster too). */
  readonly client: RedisClient;
  /** Every key matching the SCAN pattern, from every master of a cluster. */
  keys(pattern: string): Promise<string[]>;
  /** The same, per server (one entry per master of a cluster). */
  keysByServer(pattern: string): Promise<string[][]>;
  deleteKeys(...patterns: string[]): Promise<number>;
  /** An outage: every server stops (not for `machine`). */
  stop(): Promise<void>;
  /** Back on the same ports (a cluster with its slots) after stop(). */
  start(): Promise<void>;
  /** Closes the client and stops what this started. */
  close(): Promise<void>;
}

const MACHINE_REDIS_URL = () => process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** An admin client for a cluster's nodes or a server's URL, with no fail-fast settings. */
export function adminRedis(env: { REDIS_URL: string; REDIS_CLUSTER_NODES?: string }): RedisClient {
  return env.REDIS_CLUSTER_NODES
    ? new Cluster(parseClusterNodes(env.REDIS_CLUSTER_NODES), {
        redisOptions: { maxRetriesPerRequest: 1 },
      })
    : new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1 });
}

/** SCAN over one server, or over every master of a cluster: the keys each holds. */
export async function keysByServer(client: RedisClient, pattern: string): Promise<string[][]> {
  const servers = client instanceof Cluster ? client.nodes('master') : [client];
  const found: string[][] = [];
  for (const server of servers) {
    const held: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      held.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    found.push(held);
  }
  return found;
}

/** Starts (or, for `machine`, connects to) a spec's Redis. */
export async function startTestRedis(topology: RedisTopology): Promise<TestRedis> {
  let server: RedisServerHandle | undefined;
  let cluster: RedisClusterHandle | undefined;
  let env: Record<string, string>;
  if (topology === 'cluster') {
    cluster = await startRedisCluster();
    env = { REDIS_CLUSTER_NODES: cluster.nodes };
  } else if (topology === 'server') {
    server = await startRedisServer({});
    env = { REDIS_URL: server.url };
  } else {
    env = { REDIS_URL: MACHINE_REDIS_URL() };
  }
  const client = adminRedis({ REDIS_URL: MACHINE_REDIS_URL(), ...env });
  client.on('error', () => undefined);
  const port = server?.port;
  return {
    topology,
    env,
    client,
    keys: async (pattern) => (await keysByServer(client, pattern)).flat(),
    keysByServer: (pattern) => keysByServer(client, pattern),
    deleteKeys: (...patterns) => deleteKeysMatching(client, patterns),
    stop: async () => {
      if (cluster) await Promise.all(cluster.ports.map((_, i) => cluster!.stopNode(i)));
      else if (server) await server.stop();
      else throw new Error('the machine Redis is never stopped by a spec');
    },
    start: async () => {
      if (cluster) await cluster.startNode(...cluster.ports.map((_, i) => i));
      else if (port !== undefined) server = await startRedisServer({ port });
    },
    close: async () => {
      client.disconnect();
      await Promise.all([cluster?.stop(), server?.stop()]);
    },
  };
}
