// The cache's public surface: the module, the decorators and what their functions see, the
// readiness check. Keys, versions and the interceptor are internals.
export * from './cache.module';
export * from './cache.readiness';
export * from './cacheable.decorator';
export * from './rate-limit/rate-limit.module';
// For writes outside a request (the promotion worker): bump tags as @CacheEvict does.
export { ResponseCache } from './response-cache';
export {
  RateLimited,
  RateLimitedRead,
  RateLimitedWrite,
} from './rate-limit/caller-throttler.guard';
