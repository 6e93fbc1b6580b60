import { RedisOptions } from 'ioredis';

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

// Reconnect quickly after an outage (BullMQ's default backs off to 20 s between attempts).
const reconnectQuickly = (times: number): number => Math.min(100 * 2 ** Math.min(times, 5), 2000);

/**
 * Workers: BullMQ requires maxRetriesPerRequest null, so a blocking fetch waits out a Redis restart
 * instead of failing; no command timeout (BZPOPMIN blocks by design).
 */
export function workerConnection(url: string): RedisOptions {
  return {
    ...redisOptionsFromUrl(url),
    maxRetriesPerRequest: null,
    retryStrategy: reconnectQuickly,
  };
}

/**
 * Producers fail fast: the request path must not wait on a slow or absent Redis. A failed enqueue
 * leaves the outbox event pending, and the relay enqueues it later.
 */
export function producerConnection(url: string): RedisOptions {
  return {
    ...redisOptionsFromUrl(url),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1000,
    commandTimeout: 500,
    retryStrategy: reconnectQuickly,
  };
}
