import { Inject, Injectable } from '@nestjs/common';
import { cacheConfig } from '@app/common';
import type { CacheConfig, RedisClient } from '@app/common';
import { tagKey } from './cache-keys';
import { cacheL1Hits, cacheL1Misses } from './cache.metrics';
import { CACHE_REDIS } from './cache.tokens';
import { getAll } from './get-all';
import { TagBus } from './l1/tag-bus';

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
 *
 * On a Redis Cluster every command names one key: the counters of one request's tags live in
 * different slots (no MGET, no multi-key pipeline or MULTI); the GETs of one lookup are issued
 * together and auto-pipelined, so they still leave in one write per server. On a standalone Redis
 * the versions of one lookup are one MGET (see getAll).
 *
 * Versions are also held in this instance's L1 for at most CACHE_L1_TTL_MS; a bump drops them here
 * and on every instance through the tag bus (see TagBus).
 */
@Injectable()
export class TagVersions {
  private readonly prefix: string;
  private readonly ttlMs: number;

  constructor(
    @Inject(CACHE_REDIS) private readonly redis: RedisClient,
    @Inject(cacheConfig.KEY) cache: CacheConfig,
    private readonly bus: TagBus,
  ) {
    this.prefix = cache.prefix;
    this.ttlMs = cache.tagTtlMs;
    if (!('bumpTag' in redis))
      redis.defineCommand('bumpTag', { numberOfKeys: 1, lua: BUMP_SCRIPT });
  }

  /**
   * The current version of each tag, in order, null where there is no counter: from L1 when it
   * holds them all, else one GET each, no writes. What Redis answered goes into L1 unless a tag was
   * dropped while the GETs were out (it may be the old version the drop was about).
   */
  async versions(tags: readonly string[]): Promise<(string | null)[]> {
    const l1 = this.bus.l1;
    if (l1) {
      const local = this.held(tags);
      if (local) {
        if (tags.length > 0) cacheL1Hits.inc({ kind: 'tag' });
        return local;
      }
      cacheL1Misses.inc({ kind: 'tag' });
    }
    const generation = l1?.generation ?? 0;
    const read = await getAll(
      this.redis,
      tags.map((t) => tagKey(this.prefix, t)),
    );
    if (l1) {
      // A missing counter is not cached: the store that creates it must be seen at once.
      read.forEach((v, i) => v !== null && l1.setTagVersion(tags[i], v, generation));
    }
    return read;
  }

  /** The versions of every tag when L1 holds them all (no I/O, nothing counted), else undefined. */
  held(tags: readonly string[]): string[] | undefined {
    const l1 = this.bus.l1;
    if (!l1) return undefined;
    const out: string[] = [];
    for (const tag of tags) {
      const v = l1.tagVersion(tag);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }

  /** A fresh seed for counters a store creates: the time in milliseconds · 1000. */
  newSeed(): string {
    return String(Date.now() * 1000);
  }

  /**
   * Creates the counters of `tags` (all missing when the entry's data was read) at `seed`; the
   * caller stores the entry under it in the same round trip. If a counter exists by then (a bump,
   * or another loader), SET NX leaves it alone and the entry lands under a version no lookup
   * computes: an orphan that expires. The order of the entry's SET and these does not matter for
   * the same reason. Seeds are multiples of 1000 and a bumped version never is (see bump), so a
   * bumped version is never a seed another loader could store stale data under.
   */
  seed(tags: readonly string[], seed: string): Promise<unknown>[] {
    return [...new Set(tags)].map((tag) =>
      this.redis.set(tagKey(this.prefix, tag), seed, 'PX', this.ttlMs, 'NX'),
    );
  }

  /**
   * Bumps every tag and renews its TTL, one script call per tag, issued together. The new version
   * is the larger of the old one + 1 and the time of the bump (ms · 1000 + 1), so a version says
   * when its tag was last bumped (see bumpedAt) and is never a seed (seeds are multiples of 1000).
   * One key per script call: no command spans hash slots.
   */
  async bump(tags: readonly string[]): Promise<void> {
    const floor = String(Date.now() * 1000 + 1);
    const redis = this.redis as RedisClient & BumpCommand;
    const unique = [...new Set(tags)];
    // Here first, whatever Redis does: this instance never serves its own write stale from L1.
    this.bus.l1?.drop(unique);
    await Promise.all(
      unique.map((tag) => redis.bumpTag(tagKey(this.prefix, tag), floor, this.ttlMs)),
    );
    // After the new versions are in Redis: a read here or elsewhere that follows the drop sees them.
    await this.bus.publish(unique);
  }
}

/**
 * When the version's tag was last bumped (ms since the epoch), or undefined for a version a store
 * seeded (never bumped). Exact to the millisecond unless the tag was bumped more than 999 times in one.
 */
export function bumpedAt(version: string | null): number | undefined {
  if (version === null) return undefined;
  const v = Number(version);
  return Number.isSafeInteger(v) && v % 1000 !== 0 ? Math.floor(v / 1000) : undefined;
}

const BUMP_SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]))
local nextVersion = tonumber(ARGV[1])
if current and current >= nextVersion then nextVersion = current + 1 end
local text = string.format('%d', nextVersion)
redis.call('SET', KEYS[1], text, 'PX', ARGV[2])
return text`;

type BumpCommand = { bumpTag(key: string, floor: string, ttlMs: number): Promise<string> };
