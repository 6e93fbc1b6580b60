/** The cache's own ioredis connection, `Redis` or `Cluster` (fail-fast settings; not the one BullMQ uses). */
export const CACHE_REDIS = Symbol('CACHE_REDIS');
