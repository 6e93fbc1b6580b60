import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Redis } from 'ioredis';
import { CacheConfig } from '@app/common';
import { tagKey } from './cache-keys';
import { CACHE_REDIS } from './cache.tokens';

/**
 * Versioned tags: each tag is a counter in Redis; an entry's key contains the versions of its tags,
 * so invalidating a tag is one INCR (O(1), no KEYS/SCAN) and the old entries are never read again
 * (they expire by TTL). Every app that shares the prefix sees the new version.
 *
 * A missing counter starts at the current time in microseconds, never at 0 or 1: if Redis evicts or
 * loses a counter, it restarts above every version it had, so no entry from before can come back.
 */
@Injectable()
export class TagVersions {
  private readonly prefix: string;

  constructor(
    @Inject(CACHE_REDIS) private readonly redis: Redis,
    config: ConfigService,
  ) {
    this.prefix = config.getOrThrow<CacheConfig>('cache').prefix;
  }

  /** The current version of each tag, in order: one MGET, plus one round-trip for tags never seen. */
  async versions(tags: readonly string[]): Promise<string[]> {
    if (tags.length === 0) return [];
    const keys = tags.map((t) => tagKey(this.prefix, t));
    const found = await this.redis.mget(keys);
    const missing = keys.flatMap((k, i) => (found[i] === null ? [i] : []));
    if (missing.length === 0) return found as string[];
    const seed = this.seed();
    const pipeline = this.redis.pipeline();
    for (const i of missing) pipeline.set(keys[i], seed, 'NX').get(keys[i]);
    const replies = checked(await pipeline.exec());
    missing.forEach((i, n) => (found[i] = replies[2 * n + 1] as string));
    return found as string[];
  }

  /** Bumps every tag in one pipeline. */
  async bump(tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    const seed = this.seed();
    const pipeline = this.redis.pipeline();
    for (const tag of new Set(tags))
      pipeline.set(tagKey(this.prefix, tag), seed, 'NX').incr(tagKey(this.prefix, tag));
    checked(await pipeline.exec());
  }

  private seed(): string {
    return String(Date.now() * 1000);
  }
}

function checked(replies: [Error | null, unknown][] | null): unknown[] {
  if (!replies) throw new Error('Redis pipeline was not executed');
  return replies.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}
