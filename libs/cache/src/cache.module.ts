import { CacheModule } from '@nestjs/cache-manager';
import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Redis } from 'ioredis';
import { RedisConfig } from '@app/common';
import { CacheReadiness } from './cache.readiness';
import { ResponseCacheInterceptor } from './cache.interceptor';
import { CACHE_REDIS } from './cache.tokens';
import { closeRedis, createCacheRedis } from './redis-client.factory';
import { createCacheStore } from './redis-store.factory';
import { ResponseCache } from './response-cache';

@Injectable()
class CacheRedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(CACHE_REDIS) private readonly redis: Redis) {}

  onApplicationShutdown(): Promise<void> {
    return closeRedis(this.redis);
  }
}

const cacheRedis = {
  provide: CACHE_REDIS,
  inject: [ConfigService],
  useFactory: (config: ConfigService) => createCacheRedis(config.getOrThrow<RedisConfig>('redis').url),
};

/** The response cache: @Cacheable / @CacheEvict on any controller of an app that imports this. */
@Global()
@Module({
  imports: [
    CacheModule.registerAsync({
      extraProviders: [cacheRedis],
      inject: [CACHE_REDIS],
      useFactory: (redis: Redis) => ({ stores: [createCacheStore(redis)] }),
    }),
  ],
  providers: [
    cacheRedis,
    CacheReadiness,
    CacheRedisLifecycle,
    ResponseCache,
    { provide: APP_INTERCEPTOR, useClass: ResponseCacheInterceptor },
  ],
  exports: [CACHE_REDIS, CacheReadiness, ResponseCache],
})
export class AppCacheModule {}
