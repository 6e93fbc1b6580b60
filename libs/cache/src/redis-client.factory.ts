import { Logger } from '@nestjs/common';
import Redis from 'ioredis';

/**
 * The cache's own Redis connection, built to fail fast: with ioredis defaults a command waits in
 * the offline queue and retries for ~10 s when Redis is down; a cache must give up in milliseconds
 * and let the request go to DynamoDB. It reconnects by itself (capped backoff) when Redis returns.
 */
export function createCacheRedis(url: string): Redis {
  const logger = new Logger('CacheRedis');
  let lastLog = 0;
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 150,
    connectTimeout: 1000,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
    lazyConnect: false,
  });
  redis.on('error', (err: Error) => {
    if (Date.now() - lastLog < 5000) return;
    lastLog = Date.now();
    logger.warn(`cache Redis unavailable, serving from DynamoDB: ${err.message}`);
  });
  return redis;
}

export async function closeRedis(redis: Redis): Promise<void> {
  try {
    await Promise.race([redis.quit(), new Promise((_, reject) => setTimeout(() => reject(new Error('quit timeout')), 500))]);
  } catch {
    redis.disconnect();
  }
}
