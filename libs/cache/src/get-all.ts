import { Cluster } from 'ioredis';
import type { RedisClient } from '@app/common';

/**
 * The values of `keys`, in order (null where missing). One MGET on a standalone Redis: a command
 * costs the client far more CPU than its bytes, and a page's seats are tens of keys. On a Redis
 * Cluster the keys live in different slots and no command may span them: one GET each, issued
 * together (auto-pipelined, one write per node).
 */
export function getAll(redis: RedisClient, keys: readonly string[]): Promise<(string | null)[]> {
  if (keys.length === 0) return Promise.resolve([]);
  if (redis instanceof Cluster || keys.length === 1)
    return Promise.all(keys.map((k) => redis.get(k)));
  return redis.mget(...keys);
}
