import { Inject, Injectable } from '@nestjs/common';
import type { ChainableCommander, Redis } from 'ioredis';
import { cacheConfig } from '@app/common';
import type { CacheConfig } from '@app/common';
import { tagKey } from './cache-keys';
import { CACHE_REDIS } from './cache.tokens';

/**
 * Versioned tags: each tag is a counter in Redis; an entry's key contains the versions of its tags,
 * so invalidating a tag is one INCR (O(1), no KEYS/SCAN) and the old entries are never read again
 * (they expire by TTL). Every app that shares the prefix sees the new version.
 *
 * Reads never create a counter: a lookup that finds one missing is a miss, and the counter is
 * created only when a response built on it is stored (see ResponseCache.store), so anonymous reads
 * of any number of ids, missing ones included, cannot grow Redis. Every counter has a TTL
 * (CACHE_TAG_TTL_MS, renewed by bumps). A counter starts at the current time in microseconds, never
 * at 0 or 1: when one expires or is evicted, it restarts above every version it had, so no entry
 * from before can come back.
 */
@Injectable()
export class TagVersions {
  private readonly prefix: string;
  private readonly ttlMs: number;

  constructor(
    @Inject(CACHE_REDIS) private readonly redis: Redis,
    @Inject(cacheConfig.KEY) cache: CacheConfig,
  ) {
    this.prefix = cache.prefix;
    this.ttlMs = cache.tagTtlMs;
  }

  /** The current version of each tag, in order, null where there is no counter: one MGET, no writes. */
  versions(tags: readonly string[]): Promise<(string | null)[]> {
    if (tags.length === 0) return Promise.resolve([]);
    return this.redis.mget(tags.map((t) => tagKey(this.prefix, t)));
  }

  /**
   * Queues, on `pipeline`, the creation of the counters of `tags` (all missing when the entry's data
   * was read) at a fresh seed, and returns that seed: the caller stores the entry under it in the
   * same round trip. If a counter exists by then (a bump, or another loader), SET NX leaves it alone
   * and the entry lands under a version no lookup computes: an orphan that expires. Seeds are the
   * time in microseconds at millisecond resolution (multiples of 1000) while a bump adds 1, so a
   * bumped version is never a seed another loader could store stale data under.
   */
  seedOn(pipeline: ChainableCommander, tags: readonly string[]): string {
    const seed = this.now();
    for (const tag of new Set(tags)) {
      pipeline.set(tagKey(this.prefix, tag), seed, 'PX', this.ttlMs, 'NX');
    }
    return seed;
  }

  /** Bumps every tag in one pipeline and renews its TTL. */
  async bump(tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    const seed = this.now();
    const pipeline = this.redis.pipeline();
    for (const tag of new Set(tags)) {
      const key = tagKey(this.prefix, tag);
      pipeline.set(key, seed, 'PX', this.ttlMs, 'NX').incr(key).pexpire(key, this.ttlMs);
    }
    checked(await pipeline.exec());
  }

  private now(): string {
    return String(Date.now() * 1000);
  }
}

export function checked(replies: [Error | null, unknown][] | null): unknown[] {
  if (!replies) throw new Error('Redis pipeline was not executed');
  return replies.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}
