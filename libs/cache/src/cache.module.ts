import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { CacheRedisModule } from './cache-redis.module';
import { ResponseCacheInterceptor } from './cache.interceptor';
import { CacheReadiness } from './cache.readiness';
import { FragmentCache } from './fragment-cache';
import { ResponseCache } from './response-cache';
import { ResponseMerges } from './response-merge';
import { TagBus } from './l1/tag-bus';
import { TagVersions } from './tag-versions';
import { HitPath } from './hit-path/hit-path';
import { HitRoutes } from './hit-path/hit-routes';
import { ServeHitsFirst } from './hit-path/serve-hits-first';
import { ReadBudget } from './rate-limit/read-budget';
import { RedisThrottlerStorage } from './rate-limit/redis-throttler.storage';

/**
 * The response cache: @Cacheable / @CacheEvict work on every controller of an app that imports it
 * (the interceptor is global and leaves undecorated routes alone), and hits of public GETs are
 * answered before Express and Nest run at all (HitPath, put first by ServeHitsFirst). Needs
 * AppConfigModule.
 */
@Module({
  imports: [CacheRedisModule, DiscoveryModule],
  providers: [
    CacheReadiness,
    FragmentCache,
    HitPath,
    HitRoutes,
    ReadBudget,
    ServeHitsFirst,
    RedisThrottlerStorage,
    ResponseCache,
    ResponseMerges,
    TagBus,
    TagVersions,
    { provide: APP_INTERCEPTOR, useClass: ResponseCacheInterceptor },
  ],
  exports: [CacheReadiness, CacheRedisModule, FragmentCache, ResponseCache, TagVersions],
})
export class AppCacheModule {}
