import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { rateLimitConfig } from '@app/common';
import type { RateLimitConfig } from '@app/common';
import { CacheRedisModule } from '../cache-redis.module';
import { clientIp, READS, WRITES } from './caller-throttler.guard';
import { RedisThrottlerStorage } from './redis-throttler.storage';

@Module({
  imports: [CacheRedisModule],
  providers: [RedisThrottlerStorage],
  exports: [RedisThrottlerStorage],
})
class RateLimitStorageModule {}

/** @nestjs/throttler with its counters in Redis, shared by every instance; see CallerThrottlerGuard. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStorageModule],
      inject: [rateLimitConfig.KEY, RedisThrottlerStorage],
      useFactory: (limits: RateLimitConfig, storage: RedisThrottlerStorage) => ({
        throttlers: [
          { name: WRITES, limit: limits.writes, ttl: limits.windowMs },
          {
            name: READS,
            limit: limits.reads,
            ttl: limits.windowMs,
            getTracker: clientIp,
            skipIf: () => limits.reads === 0,
          },
        ],
        storage,
      }),
    }),
  ],
  exports: [ThrottlerModule],
})
export class RateLimitModule {}
