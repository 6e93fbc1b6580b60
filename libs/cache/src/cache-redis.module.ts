import { Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import {
  cacheConfig,
  closeRedis,
  createRedisClient,
  redisConfig,
  waitUntilReady,
} from '@app/common';
import type { CacheConfig, RedisClient, RedisConfig } from '@app/common';
import { CACHE_REDIS } from './cache.tokens';

const STARTUP_WAIT_MS = 1000;

/**
 * Owns the cache's one Redis connection (entries, tag versions, leases, rate limits, health): a
 * standalone server or a Redis Cluster (REDIS_CLUSTER_NODES), closed once on shutdown.
 */
@Module({
  providers: [
    {
      provide: CACHE_REDIS,
      inject: [redisConfig.KEY, cacheConfig.KEY],
      // One bound on a cache command, CACHE_TIMEOUT_MS: a shorter connection timeout would make
      // the setting a dead letter (reads would give up before it).
      useFactory: (redis: RedisConfig, cache: CacheConfig) =>
        createRedisClient('cache', redis, { commandTimeoutMs: cache.timeoutMs }),
    },
  ],
  exports: [CACHE_REDIS],
})
export class CacheRedisModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(CACHE_REDIS) private readonly redis: RedisClient) {}

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
