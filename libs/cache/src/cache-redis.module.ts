import { Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { redisConfig, RedisConfig } from '@app/common';
import { CACHE_REDIS } from './cache.tokens';
import { closeRedis, createCacheRedis, waitUntilReady } from './redis-client.factory';

const STARTUP_WAIT_MS = 1000;

/**
 * Owns the cache's one Redis connection (entries, tag versions, health), closed once on shutdown.
 */
@Module({
  providers: [
    {
      provide: CACHE_REDIS,
      inject: [redisConfig.KEY],
      useFactory: (redis: RedisConfig) => createCacheRedis(redis.cacheUrl),
    },
  ],
  exports: [CACHE_REDIS],
})
export class CacheRedisModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(CACHE_REDIS) private readonly redis: Redis) {}

  /** A short, bounded wait so a fresh app serves its first requests from the cache; never fails startup. */
  async onModuleInit(): Promise<void> {
    if (!(await waitUntilReady(this.redis, STARTUP_WAIT_MS))) {
      new Logger('CacheRedis').warn(
        'cache Redis not ready at startup; requests bypass the cache until it is',
      );
    }
  }

  onApplicationShutdown(): Promise<void> {
    return closeRedis(this.redis);
  }
}
