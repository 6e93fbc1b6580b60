import { CacheManagerStore, KeyvAdapter } from 'cache-manager';
import { redisInsStore } from 'cache-manager-ioredis-yet';
import type { Redis } from 'ioredis';
import { Keyv } from 'keyv';

/**
 * The ONE place that knows which cache-manager store is used. cache-manager v7 takes Keyv stores
 * (given the old store as is, it fails with "Invalid storage adapter"), so the ioredis-yet store —
 * no longer developed — is wrapped in cache-manager's KeyvAdapter; replacing it (e.g. with
 * @keyv/redis) changes only this file. TTLs are milliseconds (the store sets PX).
 *
 * - It reuses the cache's fail-fast connection, which this library closes: the store does not.
 * - No Keyv namespace or prefix: keys arrive fully built (cache-keys.ts).
 * - No Keyv serializer: the store already serializes once; a second layer would escape the JSON twice.
 * - throwOnErrors: otherwise Keyv turns a Redis error on read into a silent miss.
 * - The store's `reset` is FLUSHDB and `keys` is KEYS: never call clear()/keys() on this cache.
 */
export function createCacheStore(redis: Redis): Keyv {
  // Typed against cache-manager v5's Store; v7's CacheManagerStore is the same shape.
  const legacyStore = redisInsStore(redis) as unknown as CacheManagerStore;
  return new Keyv({
    store: new KeyvAdapter(legacyStore),
    namespace: undefined,
    useKeyPrefix: false,
    serialize: undefined,
    deserialize: undefined,
    throwOnErrors: true,
  });
}
