import { Cluster } from 'ioredis';
import type { Redis } from 'ioredis';

/**
 * Deletes every key matching the SCAN patterns, e.g. one test file's or one benchmark run's own
 * prefixes on a shared Redis; never KEYS or FLUSHDB, which would touch everyone else's data.
 * On a Redis Cluster every master is scanned (each holds only its own slots) and each key is
 * unlinked by itself (one node's keys span many slots). Returns how many keys went.
 */
export async function deleteKeysMatching(
  redis: Redis | Cluster,
  patterns: readonly string[],
): Promise<number> {
  if (!(redis instanceof Cluster)) return deleteOnServer(redis, patterns, false);
  let deleted = 0;
  for (const node of redis.nodes('master')) deleted += await deleteOnServer(node, patterns, true);
  return deleted;
}

async function deleteOnServer(
  server: Redis,
  patterns: readonly string[],
  keyByKey: boolean,
): Promise<number> {
  let deleted = 0;
  for (const pattern of patterns) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length === 0) continue;
      if (!keyByKey) {
        deleted += await server.unlink(...keys);
        continue;
      }
      const counts = await Promise.all(keys.map((key) => server.unlink(key)));
      deleted += counts.reduce((sum, n) => sum + n, 0);
    } while (cursor !== '0');
  }
  return deleted;
}
