import { Inject, Injectable, Logger } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { cacheConfig } from '@app/common';
import type { CacheConfig, RedisClient } from '@app/common';
import { CACHE_REDIS } from '../cache.tokens';

// One script per caller, on two keys that share a hash tag (one slot in a Redis Cluster): a
// fixed-window hit counter, and a block marker once the limit is passed.
const INCREMENT = `
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then return {0, redis.call('PTTL', KEYS[1]), 1, blocked} end
local by = tonumber(ARGV[4] or '1')
local hits = redis.call('INCRBY', KEYS[1], by)
if hits == by then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return {hits, ttl, 1, tonumber(ARGV[3])}
end
return {hits, ttl, 0, 0}`;

type Increment = (
  hits: string,
  block: string,
  ttlMs: number,
  limit: number,
  blockMs: number,
  by: number,
) => Promise<number[]>;

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
const ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * @nestjs/throttler's counters in the cache's Redis, so every instance of an app counts the same
 * hits. Fails open: with Redis down or slow, requests are not limited (the limit protects the
 * system; refusing every write because the cache is away would be worse).
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(RedisThrottlerStorage.name);
  private lastErrorLog = 0;
  private readonly prefix: string;

  constructor(
    @Inject(CACHE_REDIS) private readonly redis: RedisClient,
    @Inject(cacheConfig.KEY) cache: CacheConfig,
  ) {
    this.prefix = `${cache.prefix}:rl`;
    if (!('throttlerIncrement' in redis)) {
      redis.defineCommand('throttlerIncrement', { numberOfKeys: 2, lua: INCREMENT });
    }
  }

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
  ): Promise<ThrottlerStorageRecord> {
    return this.incrementBy(key, ttl, limit, blockDuration, 1);
  }

  /** `by` hits at once (ReadBudget sends what it counted locally in one call). */
  async incrementBy(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    by: number,
  ): Promise<ThrottlerStorageRecord> {
    const tagged = `${this.prefix}:{${key}}`;
    try {
      const increment = (
        this.redis as unknown as { throttlerIncrement: Increment }
      ).throttlerIncrement.bind(this.redis);
      const [totalHits, ttlMs, blocked, blockMs] = await increment(
        `${tagged}:hits`,
        `${tagged}:block`,
        ttl,
        limit,
        blockDuration,
        by,
      );
      return {
        totalHits,
        timeToExpire: seconds(ttlMs),
        isBlocked: blocked === 1,
        timeToBlockExpire: blocked === 1 ? seconds(blockMs) : 0,
      };
    } catch (err) {
      if (Date.now() - this.lastErrorLog > ERROR_LOG_INTERVAL_MS) {
        this.lastErrorLog = Date.now();
        this.logger.warn(`rate limit not applied, Redis failed: ${(err as Error).message}`);
      }
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
  }
}
