import { SetMetadata, Type } from '@nestjs/common';
import type { CacheScope } from './cache-keys';
import type { ResponseMerge } from './response-merge';

export const CACHEABLE = 'app:cache:cacheable';
export const CACHE_EVICT = 'app:cache:evict';

/** What tag and key functions see of a request. */
export interface CacheContext {
  params: Record<string, string>;
  query: Record<string, unknown>;
  /** The verified caller (`request.user`, set by the auth guard), when the route has one. */
  user?: { sub: string };
}

export interface EvictContext extends CacheContext {
  body: unknown;
  /** What the handler returned (also for 201 and 204 responses). */
  result: unknown;
}

export interface CacheableOptions {
  /** Names the route in keys and metrics; unique per route. */
  name: string;
  /** 'user': the entry belongs to the caller (their `sub` is in the key); without a caller nothing is cached. */
  scope: CacheScope;
  /** Defaults to CACHE_TTL_MS; ±10 % jitter is applied. */
  ttlMs?: number;
  /**
   * For scope 'public': how long browsers and shared caches may keep a response (`Cache-Control:
   * public, max-age`), default 0 (they revalidate with the ETag and get 304). They never see an
   * invalidation, so this is the staleness a client accepts beyond ours.
   */
  maxAgeS?: number;
  /** Tags whose invalidation must drop this entry. */
  tags?: (ctx: CacheContext) => string[];
  /**
   * The handler reads an eventually consistent index (a GSI): right after a bump of one of its tags
   * the index may still answer as before the write, so such an entry lives at most
   * CACHE_INDEX_LAG_MS instead of its TTL.
   */
  readsIndex?: boolean;
  /** What tells responses apart, in place of the default `{ params, query }` (e.g. to ignore a tracking parameter). */
  key?: (ctx: CacheContext) => Record<string, unknown>;
  /**
   * A provider (resolved from the app's modules) that merges volatile fields into every 2xx
   * response of the route, hit or miss: the entry keeps only the stable ones (see ResponseMerge).
   */
  merge?: Type<ResponseMerge>;
}

export interface CacheEvictOptions {
  /** Tags to invalidate once the handler has succeeded with a 2xx. */
  tags: (ctx: EvictContext) => string[];
}

/** Caches the route's JSON response in Redis (applied by ResponseCacheInterceptor). */
export const Cacheable = (options: CacheableOptions) => SetMetadata(CACHEABLE, options);

/** Invalidates tags after the route succeeds, in every app that shares the cache prefix. */
export const CacheEvict = (options: CacheEvictOptions) => SetMetadata(CACHE_EVICT, options);
