// The cache's public surface: the module, the decorators and what their functions see, the
// readiness check, the fragment cache and splice of per-request merges. Keys, versions and the
// interceptor are internals.
export * from './cache.module';
export * from './cache.readiness';
export * from './cacheable.decorator';
export { FragmentCache } from './fragment-cache';
export type { FragmentRequest } from './fragment-cache';
export { KeyedSplice } from './response-merge';
export type { ResponseMerge } from './response-merge';
export * from './rate-limit/rate-limit.module';
// For writes outside a request (the promotion worker): bump tags as @CacheEvict does.
export { ResponseCache } from './response-cache';
export {
  RateLimited,
  RateLimitedRead,
  RateLimitedWrite,
} from './rate-limit/caller-throttler.guard';
