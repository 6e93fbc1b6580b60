import { Keyv } from 'keyv';
import { CacheManagerStore, KeyvAdapter } from 'cache-manager';
import { redisInsStore } from 'cache-manager-ioredis-yet';
import Redis from 'ioredis';

/**
 * The ONE place that knows which cache-manager store is used. cache-manager v7 takes Keyv stores,
 * so the (no longer developed) ioredis-yet store is wrapped in cache-manager's KeyvAdapter; swapping
 * it (e.g. for @keyv/redis) changes only this file. It reuses the cache's fail-fast connection,
 * which this library closes itself: the store does not close it on shutdown. (The store is typed
 * against cache-manager v5's Store; the cast is to v7's structurally identical CacheManagerStore.)
 */
export function createCacheStore(redis: Redis): Keyv {
  return new Keyv({ store: new KeyvAdapter(redisInsStore(redis) as unknown as CacheManagerStore), namespace: undefined, useKeyPrefix: false });
}
