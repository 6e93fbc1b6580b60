import { Inject, Injectable, Logger } from '@nestjs/common';
import { cacheConfig, pingRedis, withTimeout } from '@app/common';
import type { CacheConfig, RedisClient } from '@app/common';
import { CacheScope, digest, entryKey, EntryKeyParts } from './cache-keys';
import type { CacheableOptions, CacheContext } from './cacheable.decorator';
import {
  cacheErrors,
  cacheInvalidations,
  cacheL1Hits,
  cacheL1Misses,
  cacheLeaseWaits,
} from './cache.metrics';
import { CACHE_REDIS } from './cache.tokens';
import { CachedResponse, decodeEntry, encodeEntry } from './cached-response';
import { CircuitBreaker } from './circuit-breaker';
import { TagBus } from './l1/tag-bus';
import { bumpedAt, TagVersions } from './tag-versions';
import { jitteredTtl } from './ttl-jitter';

/**
 * Where a missed entry goes once loaded: its key, known when every tag has a counter; or the parts
 * to build it from once the missing counters are created (only a stored response creates them).
 */
export type StoreTarget = { key: string } | { parts: EntryKeyParts; unseeded: readonly string[] };

/** A response-cache lookup; 'unavailable' when Redis cannot be used. */
export type Lookup =
  | { kind: 'hit'; entry: CachedResponse }
  | { kind: 'miss'; target: StoreTarget; singleFlightKey: string; maxTtlMs?: number }
  | { kind: 'unavailable' };

export interface LookupRequest {
  name: string;
  /** See CacheableOptions.readsIndex. */
  readsIndex?: boolean;
  scope: CacheScope;
  userId?: string;
  vary: Record<string, unknown>;
  tags: readonly string[];
}

/**
 * The lookup of a @Cacheable route's request: its tags, and what tells its responses apart (the
 * route's `key`, else the validated params and query). Throws when a route's tag or key function
 * does; the interceptor and the hit path both build their lookups here, so they find one entry.
 */
export function lookupRequestFor(opts: CacheableOptions, ctx: CacheContext): LookupRequest {
  return {
    name: opts.name,
    scope: opts.scope,
    readsIndex: opts.readsIndex,
    userId: ctx.user?.sub,
    vary: opts.key?.(ctx) ?? { params: ctx.params, query: ctx.query },
    tags: opts.tags?.(ctx) ?? [],
  };
}

/** Invalidations get longer than reads: they are rare and worth a wait, but still bounded. */
const INVALIDATION_TIMEOUT_FACTOR = 4;
const PING_TIMEOUT_MS = 1000;
/** How often an instance waiting on another's load looks for its entry. */
const LEASE_POLL_MS = 25;

/**
 * Redis operations of the response cache, failing open: every read is raced against
 * CACHE_TIMEOUT_MS and guarded by a circuit breaker, and any failure answers "unavailable" instead of
 * throwing, so the request goes to the handler. Writes are fire-and-forget.
 */
@Injectable()
export class ResponseCache {
  private readonly breaker = new CircuitBreaker({ failureThreshold: 3, coolDownMs: 1000 });
  private readonly logger = new Logger(ResponseCache.name);
  /** The last key built per request object (see keyOf); dropped with the object. */
  private readonly keys = new WeakMap<
    LookupRequest,
    { versions: readonly string[]; key: string | null }
  >();

  constructor(
    @Inject(CACHE_REDIS) private readonly redis: RedisClient,
    private readonly tagVersions: TagVersions,
    @Inject(cacheConfig.KEY) readonly config: CacheConfig,
    private readonly bus: TagBus,
  ) {}

  /**
   * Reads the tags' versions (one GET each, auto-pipelined), builds the entry key, then reads the entry. A tag without
   * a counter means no entry can exist: a miss without a second round trip, and nothing written.
   * Both reads try this instance's L1 first (see TagBus): a hot hit makes no Redis call at all.
   */
  async lookup(req: LookupRequest): Promise<Lookup> {
    const versions = await this.guard('tags', () => this.tagVersions.versions(req.tags));
    if (versions === undefined) return { kind: 'unavailable' };
    const parts = (tagVersions: EntryKeyParts['tagVersions']): EntryKeyParts => ({
      prefix: this.config.prefix,
      name: req.name,
      scope: req.scope,
      userId: req.userId,
      vary: req.vary,
      tagVersions,
    });
    const unseeded = req.tags.filter((_, i) => versions.value[i] === null);
    if (unseeded.length > 0) {
      const target = {
        parts: parts(req.tags.map((tag, i) => [tag, versions.value[i] ?? ''] as const)),
        unseeded,
      };
      // Loads of one request shape share a flight whatever the versions will be.
      const flight = entryKey(parts(req.tags.map((tag) => [tag, ''] as const)));
      return flight === null
        ? { kind: 'unavailable' }
        : { kind: 'miss', target, singleFlightKey: flight };
    }
    const key = this.keyOf(req, versions.value as string[]);
    if (key === null) return { kind: 'unavailable' };

    const l1 = this.bus.l1;
    const local = l1?.entry(key);
    if (local) {
      cacheL1Hits.inc({ kind: 'entry' });
      return { kind: 'hit', entry: local };
    }
    if (l1) cacheL1Misses.inc({ kind: 'entry' });
    const generation = l1?.generation ?? 0;
    const found = await this.guard('get', () => this.redis.get(key));
    if (found === undefined) return { kind: 'unavailable' };
    const entry = found.value === null ? undefined : decodeEntry(found.value);
    if (entry) {
      l1?.setEntry(key, entry, req.tags, generation);
      return { kind: 'hit', entry };
    }
    return {
      kind: 'miss',
      target: { key },
      singleFlightKey: key,
      maxTtlMs: this.indexLagCap(req, versions.value),
    };
  }

  /**
   * The entry this instance's L1 holds for the request, found with no I/O at all (no promise, no
   * timer): the tags' versions and the entry, both from L1. Undefined whenever that is not so, and
   * while Redis is unusable, as lookup would answer then (the bus that keeps L1 fresh runs over
   * it); the caller then does the lookup. Counts what it serves as lookup would.
   */
  held(req: LookupRequest): CachedResponse | undefined {
    const l1 = this.bus.l1;
    if (!l1 || this.breaker.isOpen || this.redis.status !== 'ready') return undefined;
    const versions = this.tagVersions.held(req.tags);
    const key = versions && this.keyOf(req, versions);
    const entry = key ? l1.entry(key) : undefined;
    if (!entry) return undefined;
    if (req.tags.length > 0) cacheL1Hits.inc({ kind: 'tag' });
    cacheL1Hits.inc({ kind: 'entry' });
    return entry;
  }

  /**
   * The entry key of the request under these versions. The last one is kept per request object: the
   * hit path looks the same request up again and again, and the key is a SHA-1 of its canonical JSON.
   */
  private keyOf(req: LookupRequest, versions: readonly string[]): string | null {
    const last = this.keys.get(req);
    if (
      last &&
      last.versions.length === versions.length &&
      last.versions.every((v, i) => v === versions[i])
    )
      return last.key;
    const key = entryKey({
      prefix: this.config.prefix,
      name: req.name,
      scope: req.scope,
      userId: req.userId,
      vary: req.vary,
      tagVersions: req.tags.map((tag, i) => [tag, versions[i]] as const),
    });
    this.keys.set(req, { versions, key });
    return key;
  }

  /**
   * Fire-and-forget: a failed or slow write never fails, nor delays, the request. When the entry's
   * key needs counters that did not exist, they are created in the same round trip (see
   * TagVersions.seed for why that is safe whoever wins). `maxTtlMs` caps the jittered TTL.
   */
  store(
    target: StoreTarget,
    entry: CachedResponse,
    ttlMs = this.config.ttlMs,
    maxTtlMs = Infinity,
  ): void {
    const value = encodeEntry(entry);
    const ttl = Math.min(jitteredTtl(ttlMs), maxTtlMs);
    void this.guard('set', async () => {
      if ('key' in target) {
        await this.redis.set(target.key, value, 'PX', ttl);
        return;
      }
      const seed = this.tagVersions.newSeed();
      const unseeded = new Set(target.unseeded);
      const key = entryKey({
        ...target.parts,
        tagVersions: target.parts.tagVersions.map(
          ([tag, v]) => [tag, unseeded.has(tag) ? seed : v] as const,
        ),
      });
      if (key === null) return;
      // Single-key commands issued together (auto-pipelined: one write per server), not a
      // pipeline: on a cluster the entry and its counters live in different slots.
      await Promise.all([
        ...this.tagVersions.seed(target.unseeded, seed),
        this.redis.set(key, value, 'PX', ttl),
      ]);
    });
  }

  /**
   * Across instances, concurrent misses of one key cause one load: the first to take the key's
   * lease (SET NX PX CACHE_LEASE_MS) loads ('load'); the others poll the lookup until the entry
   * appears ('hit') or the lease is gone or over, and then load themselves. Fails open: without
   * Redis, everyone loads. The caller releases the lease when its load produced no entry.
   */
  async leaseOrWait(
    req: LookupRequest,
    miss: Extract<Lookup, { kind: 'miss' }>,
  ): Promise<{ kind: 'load'; release: () => void } | { kind: 'hit'; entry: CachedResponse }> {
    const leaseMs = this.config.leaseMs;
    const noop = { kind: 'load' as const, release: () => undefined };
    if (leaseMs === 0) return noop;
    const leaseKey = `${this.config.prefix}:lease:${digest(miss.singleFlightKey)}`;
    const taken = await this.guard('lease', () =>
      this.redis.set(leaseKey, '1', 'PX', leaseMs, 'NX'),
    );
    if (taken === undefined) return noop;
    if (taken.value === 'OK') {
      return {
        kind: 'load',
        release: () => void this.guard('lease', () => this.redis.del(leaseKey)),
      };
    }
    const deadline = Date.now() + leaseMs;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, LEASE_POLL_MS));
      const again = await this.lookup(req);
      if (again.kind === 'hit') {
        cacheLeaseWaits.inc({ name: req.name, result: 'served' });
        return again;
      }
      const held = await this.guard('lease', () => this.redis.exists(leaseKey));
      if (again.kind === 'unavailable' || held === undefined || held.value === 0) break;
    }
    cacheLeaseWaits.inc({ name: req.name, result: 'gave-up' });
    return noop;
  }

  /**
   * How long an entry loaded now may live, when its handler reads an index and one of its tags was
   * bumped within CACHE_INDEX_LAG_MS: the index may not show that write yet, so what is loaded now
   * may be stale and must be reloaded once the lag is over.
   */
  private indexLagCap(
    req: LookupRequest,
    versions: readonly (string | null)[],
  ): number | undefined {
    if (!req.readsIndex || this.config.indexLagMs === 0) return undefined;
    const now = Date.now();
    const recent = versions.some((v) => {
      const at = bumpedAt(v);
      return at !== undefined && now - at < this.config.indexLagMs;
    });
    return recent ? this.config.indexLagMs : undefined;
  }

  /**
   * Bumps the tags. Never throws: when it fails the old entries stay reachable until their TTL, so
   * the failure is logged with the tags it concerned.
   */
  async invalidate(tags: readonly string[]): Promise<boolean> {
    if (tags.length === 0) return true;
    try {
      // Not behind the breaker: an invalidation is worth trying even right after a failed read.
      await withTimeout(
        this.tagVersions.bump(tags),
        this.config.timeoutMs * INVALIDATION_TIMEOUT_FACTOR,
        'cache invalidation',
      );
      cacheInvalidations.inc(new Set(tags).size);
      return true;
    } catch (err) {
      cacheErrors.inc({ op: 'invalidate' });
      this.logger.warn(
        `could not invalidate ${tags.join(', ')} (entries live until their TTL): ${(err as Error).message}`,
      );
      return false;
    }
  }

  /** For readiness checks: true when the cache's Redis (every master of a cluster) answers PING within a second. */
  ping(): Promise<boolean> {
    return pingRedis(this.redis, PING_TIMEOUT_MS);
  }

  /**
   * `{ value }` when Redis answered in time; undefined when it failed, timed out, is down, or the
   * breaker is open. Shared with FragmentCache: one breaker for the cache's Redis.
   */
  async guard<T>(op: string, call: () => Promise<T>): Promise<{ value: T } | undefined> {
    if (!this.breaker.allow()) return undefined;
    try {
      // Not connected: ioredis would reject at once anyway (no offline queue); skip the call.
      if (this.redis.status !== 'ready') throw new Error(`Redis is ${this.redis.status}`);
      const value = await withTimeout(call(), this.config.timeoutMs, `cache ${op}`);
      this.breaker.success();
      return { value };
    } catch {
      cacheErrors.inc({ op });
      this.breaker.failure();
      return undefined;
    }
  }
}
