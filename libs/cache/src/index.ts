export * from './cache-keys';
export * from './cache.interceptor';
export * from './cache.module';
export * from './cache.readiness';
export * from './cache.tokens';
export * from './cacheable.decorator';
export * from './response-cache';
