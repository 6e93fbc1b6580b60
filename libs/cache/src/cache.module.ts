import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CacheRedisModule } from './cache-redis.module';
import { ResponseCacheInterceptor } from './cache.interceptor';
import { CacheReadiness } from './cache.readiness';
import { ResponseCache } from './response-cache';
import { TagVersions } from './tag-versions';

/**
 * The response cache: @Cacheable / @CacheEvict work on every controller of an app that imports it
 * (the interceptor is global and leaves undecorated routes alone). Needs AppConfigModule.
 */
@Module({
  imports: [CacheRedisModule],
  providers: [
    CacheReadiness,
    ResponseCache,
    TagVersions,
    { provide: APP_INTERCEPTOR, useClass: ResponseCacheInterceptor },
  ],
  exports: [CacheReadiness, CacheRedisModule, ResponseCache, TagVersions],
})
export class AppCacheModule {}
