import { FactoryProvider, Logger } from '@nestjs/common';
import { Cluster, Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { redisConfig } from '../config/configuration';
import type { RedisConfig } from '../config/configuration';
import { withTimeout } from '../timing/with-timeout';

/** A standalone server or a Redis Cluster: every Redis user of the system takes either. */
export type RedisClient = Redis | Cluster;

/**
 * - `cache`: the response cache, tag versions, leases and rate limits. Fails fast: with ioredis
 *   defaults a command waits in the offline queue and is retried for ~10 s while Redis is down; a
 *   cache must give up at once and let the request go to DynamoDB. Auto-pipelined: the commands of
 *   one event-loop tick (under load, the lookups of many requests) leave in one write per server
 *   (a profile of the cached list at 200 connections put per-command writes at ~9 % of the CPU).
 * - `queue-producer`: BullMQ queues on the request path; fails fast too, a failed enqueue leaves the
 *   outbox event pending for the relay.
 * - `queue-worker`: BullMQ workers need maxRetriesPerRequest null, so a blocking fetch waits out a
 *   Redis restart instead of failing, and no command timeout (BZPOPMIN blocks by design).
 */
export type RedisRole = 'cache' | 'queue-producer' | 'queue-worker';

const MAX_RECONNECT_DELAY_MS = 2000;
const ERROR_LOG_INTERVAL_MS = 10_000;

// Reconnect quickly after an outage (BullMQ's default backs off to 20 s between attempts).
const reconnectQuickly = (times: number): number =>
  Math.min(50 * 2 ** Math.min(times, 6), MAX_RECONNECT_DELAY_MS);

interface RoleSettings {
  /** Per connection (each cluster node's, on a cluster). */
  connection: RedisOptions;
  /**
   * Cluster only: how often a command follows a redirection or retries a closed node connection
   * (100 ms apart) before it fails; the fail-fast roles give up on a stopped master in ~0.3 s.
   */
  maxRedirections: number;
  enableOfflineQueue: boolean;
  enableAutoPipelining: boolean;
}

const ROLES: Record<RedisRole, RoleSettings> = {
  cache: {
    connection: { maxRetriesPerRequest: 1, commandTimeout: 150, connectTimeout: 1000 },
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    maxRedirections: 3,
  },
  'queue-producer': {
    connection: { maxRetriesPerRequest: 1, commandTimeout: 500, connectTimeout: 1000 },
    enableOfflineQueue: false,
    enableAutoPipelining: false,
    maxRedirections: 3,
  },
  'queue-worker': {
    connection: { maxRetriesPerRequest: null },
    enableOfflineQueue: true,
    enableAutoPipelining: false,
    // ioredis's default: a worker waits out a failover.
    maxRedirections: 16,
  },
};

/** ioredis options from a redis:// or rediss:// URL. */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const u = new URL(url);
  const db = u.pathname.replace(/^\//, '');
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * The one place Redis connections are made: a `Cluster` over REDIS_CLUSTER_NODES when it is set,
 * else a `Redis` on the role's URL (CACHE_REDIS_URL for the cache, QUEUE_REDIS_URL for the queues).
 * Connects at once and reconnects by itself (capped backoff). No `keyPrefix`: the cache builds its
 * prefixed keys itself and BullMQ refuses one. The caller closes it (closeRedis).
 */
export function createRedisClient(
  role: RedisRole,
  config: RedisConfig,
  overrides: { commandTimeoutMs?: number } = {},
  logger = new Logger(`Redis:${role}`),
): RedisClient {
  const settings = {
    ...ROLES[role],
    connection: {
      ...ROLES[role].connection,
      ...(overrides.commandTimeoutMs ? { commandTimeout: overrides.commandTimeoutMs } : {}),
    },
  };
  const client = config.clusterNodes
    ? new Cluster(config.clusterNodes, {
        enableOfflineQueue: settings.enableOfflineQueue,
        enableAutoPipelining: settings.enableAutoPipelining,
        clusterRetryStrategy: reconnectQuickly,
        maxRedirections: settings.maxRedirections,
        // A command whose master is away (a closed connection, CLUSTERDOWN) is tried again 100 ms
        // later, maxRedirections times at most, after a fresh read of the slot map.
        retryDelayOnClusterDown: 100,
        slotsRefreshTimeout: 1000,
        // Also re-read the slot map now and then (ioredis does only on errors by default), so a
        // master that came back or a resharding is picked up without waiting for a failed command.
        slotsRefreshInterval: 5000,
        redisOptions: { connectionName: role, ...settings.connection },
      })
    : new Redis({
        ...redisOptionsFromUrl(role === 'cache' ? config.cacheUrl : config.queueUrl),
        connectionName: role,
        enableOfflineQueue: settings.enableOfflineQueue,
        enableAutoPipelining: settings.enableAutoPipelining,
        retryStrategy: reconnectQuickly,
        ...settings.connection,
      });
  logOutages(client, role, logger);
  return client;
}

/** A Nest provider of one role's connection under `token` (its module closes it on shutdown). */
export function redisClientProvider(token: symbol, role: RedisRole): FactoryProvider<RedisClient> {
  return {
    provide: token,
    inject: [redisConfig.KEY],
    useFactory: (redis: RedisConfig) => createRedisClient(role, redis),
  };
}

/** Without an 'error' listener ioredis reports every failed reconnect as an unhandled error. */
function logOutages(client: RedisClient, role: RedisRole, logger: Logger): void {
  const what = client instanceof Cluster ? 'Redis Cluster' : 'Redis';
  let lastLog = 0;
  let down = false;
  client.on('error', (err: Error) => {
    down = true;
    if (Date.now() - lastLog < ERROR_LOG_INTERVAL_MS) return;
    lastLog = Date.now();
    logger.warn(
      role === 'cache'
        ? `cache ${what} unavailable, requests bypass the cache: ${err.message}`
        : `${role} ${what} unavailable: ${err.message}`,
    );
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    lastLog = 0;
    logger.log(`${role} ${what} is back`);
  });
}

/**
 * Resolves once the connection is ready, or after `timeoutMs` (false) — never rejects: an app
 * starts without its cache and the cache joins when Redis answers.
 */
export function waitUntilReady(client: RedisClient, timeoutMs = 1000): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady).off('end', onEnd);
      resolve(ready);
    };
    const onReady = () => done(true);
    const onEnd = () => done(false);
    const timer = setTimeout(() => done(false), timeoutMs);
    client.once('ready', onReady).once('end', onEnd);
  });
}

/**
 * True when Redis answers within `timeoutMs`: a server, PING; a cluster, CLUSTER INFO from the
 * master of every slot range saying `cluster_state:ok`, since each master serves its own share of
 * the keys (one master down is a cache that misses a third of the time, then none once the others
 * mark it failed).
 */
export async function pingRedis(client: RedisClient, timeoutMs = 1000): Promise<boolean> {
  try {
    if (client.status !== 'ready') return false;
    const answered = client instanceof Cluster ? clusterOk(client) : isPong(client.ping());
    return await withTimeout(answered, timeoutMs, 'Redis health check');
  } catch {
    return false;
  }
}

const isPong = async (reply: Promise<string>) => (await reply) === 'PONG';

async function clusterOk(cluster: Cluster): Promise<boolean> {
  const owners = new Set(cluster.slots.filter(Boolean).map((nodes) => nodes[0]));
  const connected = new Map(
    cluster.nodes('master').map((node) => [`${node.options.host}:${node.options.port}`, node]),
  );
  const masters = [...owners].map((key) => connected.get(key));
  if (masters.length === 0 || masters.some((node) => node === undefined)) {
    // A master that was away has no connection until the slot map is read again.
    cluster.refreshSlotsCache();
    return false;
  }
  const infos = await Promise.all(
    masters.map((node) => node!.call('CLUSTER', 'INFO') as Promise<string>),
  );
  return infos.every((info) => /^cluster_state:ok\r?$/m.test(info));
}

/** Closes a connection this process made (QUIT, bounded; a connection not ready is dropped). */
export async function closeRedis(client: RedisClient, timeoutMs = 1000): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  try {
    await withTimeout(client.quit(), timeoutMs, 'Redis QUIT');
  } catch {
    client.disconnect();
  }
}
