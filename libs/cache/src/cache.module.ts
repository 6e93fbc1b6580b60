import { CacheModule } from '@nestjs/cache-manager';
import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Redis } from 'ioredis';
import { CacheConfig } from '@app/common';
import { CacheRedisModule } from './cache-redis.module';
import { ResponseCacheInterceptor } from './cache.interceptor';
import { CacheReadiness } from './cache.readiness';
import { CACHE_REDIS } from './cache.tokens';
import { createCacheStore } from './redis-store.factory';
import { ResponseCache } from './response-cache';
import { TagVersions } from './tag-versions';

/**
 * The response cache: @Cacheable / @CacheEvict work on every controller of an app that imports it
 * (the interceptor is global and leaves undecorated routes alone). Needs AppConfigModule.
 */
@Global()
@Module({
  imports: [
    CacheModule.registerAsync({
      imports: [CacheRedisModule],
      inject: [CACHE_REDIS, ConfigService],
      useFactory: (redis: Redis, config: ConfigService) => ({
        stores: [createCacheStore(redis)],
        ttl: config.getOrThrow<CacheConfig>('cache').ttlMs,
      }),
    }),
    CacheRedisModule,
  ],
  providers: [
    CacheReadiness,
    ResponseCache,
    TagVersions,
    { provide: APP_INTERCEPTOR, useClass: ResponseCacheInterceptor },
  ],
  exports: [CacheReadiness, CacheRedisModule, ResponseCache, TagVersions],
})
export class AppCacheModule {}
