import type { Redis } from 'ioredis';

/**
 * Deletes every key matching the SCAN patterns, e.g. one test file's or one benchmark run's own
 * prefixes on a shared Redis; never KEYS or FLUSHDB, which would touch everyone else's data.
 * Returns how many keys went.
 */
export async function deleteKeysMatching(
  redis: Redis,
  patterns: readonly string[],
): Promise<number> {
  let deleted = 0;
  for (const pattern of patterns) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
  }
  return deleted;
}
