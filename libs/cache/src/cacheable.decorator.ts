import { SetMetadata } from '@nestjs/common';

export const CACHEABLE = 'cache:cacheable';
export const CACHE_EVICT = 'cache:evict';

export interface CacheContext {
  params: Record<string, string>;
  query: Record<string, unknown>;
  /** The verified caller, when the route has one (set by the auth guard). */
  user?: { sub: string };
}

export interface EvictContext extends CacheContext {
  body: unknown;
  /** What the handler returned. */
  result: unknown;
}

export interface CacheableOptions {
  /** Names the route in keys and metrics. */
  name: string;
  /** 'user': the entry belongs to the caller (their id is in the key); without a caller it is not cached. */
  scope: 'public' | 'user';
  ttlMs?: number;
  /** Tags whose invalidation must drop this entry. */
  tags?: (ctx: CacheContext) => string[];
}

export interface CacheEvictOptions {
  /** Tags to invalidate once the handler has succeeded (2xx). */
  tags: (ctx: EvictContext) => string[];
}

/** Caches the route's JSON response in Redis (see ResponseCacheInterceptor). */
export const Cacheable = (options: CacheableOptions) => SetMetadata(CACHEABLE, options);

/** Invalidates tags after the route succeeds, in every app sharing the cache prefix. */
export const CacheEvict = (options: CacheEvictOptions) => SetMetadata(CACHE_EVICT, options);
