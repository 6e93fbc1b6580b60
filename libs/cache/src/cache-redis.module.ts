import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Redis } from 'ioredis';
import { RedisConfig } from '@app/common';
import { CACHE_REDIS } from './cache.tokens';
import { closeRedis, createCacheRedis } from './redis-client.factory';

/**
 * Owns the cache's one Redis connection: imported both by cache-manager's module (its store) and
 * by AppCacheModule (tag versions, health), so both get the same instance, closed once on shutdown.
 */
@Module({
  providers: [
    {
      provide: CACHE_REDIS,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => createCacheRedis(config.getOrThrow<RedisConfig>('redis').url),
    },
  ],
  exports: [CACHE_REDIS],
})
export class CacheRedisModule implements OnApplicationShutdown {
  constructor(@Inject(CACHE_REDIS) private readonly redis: Redis) {}

  onApplicationShutdown(): Promise<void> {
    return closeRedis(this.redis);
  }
}
