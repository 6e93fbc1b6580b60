export const CACHE_REDIS = Symbol('CACHE_REDIS');
