import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Cache } from 'cache-manager';
import type { Redis } from 'ioredis';
import { CacheConfig } from '@app/common';
import { entryKey, EntryKeyParts, jitteredTtl, tagKey } from './cache-keys';
import { cacheErrors, cacheInvalidations } from './cache.metrics';
import { CACHE_REDIS } from './cache.tokens';
import { CircuitBreaker, withTimeout } from './circuit-breaker';

/**
 * Redis operations of the response cache, each bounded by CACHE_TIMEOUT_MS and guarded by a breaker:
 * any failure answers "unavailable" (undefined) rather than throwing, so callers fall through to DynamoDB.
 */
@Injectable()
export class ResponseCache {
  readonly config: CacheConfig;
  private readonly breaker = new CircuitBreaker();
  private readonly logger = new Logger(ResponseCache.name);

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(CACHE_REDIS) private readonly redis: Redis,
    config: ConfigService,
  ) {
    this.config = config.getOrThrow<CacheConfig>('cache');
  }

  /** The entry's key with its tags' current versions folded in; undefined when Redis is unavailable. */
  async key(parts: Omit<EntryKeyParts, 'prefix' | 'tagVersions'>, tags: string[]): Promise<string | undefined> {
    const versions =
      tags.length === 0
        ? { value: [] }
        : await this.guard('tags', () => this.redis.mget(tags.map((t) => tagKey(this.config.prefix, t))));
    if (versions === undefined) return undefined;
    return entryKey({ ...parts, prefix: this.config.prefix, tagVersions: versions.value.map((v) => v ?? '0') });
  }

  /** The cached JSON text: a string on a hit, null on a miss, undefined when Redis is unavailable. */
  async get(key: string): Promise<string | null | undefined> {
    const found = await this.guard('get', () => this.cache.get<string>(key));
    return found === undefined ? undefined : (found.value ?? null);
  }

  /** Fire-and-forget: a failed write never fails the request. */
  set(key: string, json: string, ttlMs = this.config.ttlMs): void {
    if (Buffer.byteLength(json) > this.config.maxEntryBytes) return;
    void this.guard('set', () => this.cache.set(key, json, jitteredTtl(ttlMs)));
  }

  /** O(1) per tag: bump its version; entries keyed on the old version are never read again and expire. */
  async invalidate(tags: string[]): Promise<boolean> {
    if (tags.length === 0) return true;
    const pipeline = this.redis.pipeline();
    for (const tag of tags) pipeline.incr(tagKey(this.config.prefix, tag));
    // Tag bumps bypass the breaker: an invalidation is worth the attempt even right after a failure.
    try {
      await withTimeout(pipeline.exec(), this.config.timeoutMs * 4);
      cacheInvalidations.inc(tags.length);
      return true;
    } catch (err) {
      cacheErrors.inc({ op: 'invalidate' });
      this.logger.warn(`could not invalidate ${tags.join(', ')}; entries live until their TTL: ${(err as Error).message}`);
      return false;
    }
  }

  async ping(): Promise<void> {
    await withTimeout(this.redis.ping(), 1000);
  }

  /** `{ value }` when Redis answered in time; undefined when it failed, timed out or the breaker is open. */
  private async guard<T>(op: string, call: () => Promise<T>): Promise<{ value: T } | undefined> {
    if (this.breaker.open) return undefined;
    try {
      const value = await withTimeout(call(), this.config.timeoutMs);
      this.breaker.success();
      return { value };
    } catch {
      cacheErrors.inc({ op });
      this.breaker.failure();
      return undefined;
    }
  }
}
