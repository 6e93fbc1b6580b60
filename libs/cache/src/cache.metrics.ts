import { counter, gauge, histogram } from '@app/common';

export const cacheRequests = counter(
  'cache_requests_total',
  'Requests to @Cacheable routes by route name and result (hit, miss, bypass)',
  ['name', 'result'],
);
export const cacheEarlyHits = counter(
  'cache_early_hits_total',
  'Hits answered by the hit path before Nest (also counted in cache_requests_total), by route name',
  ['name'],
);
export const cacheErrors = counter(
  'cache_errors_total',
  'Redis errors, timeouts and skipped calls (connection down) in the cache layer, by operation',
  ['op'],
);
export const cacheLoadDuration = histogram(
  'cache_load_duration_seconds',
  'Handler time on a cache miss',
  ['name'],
);
export const cacheInvalidations = counter(
  'cache_invalidations_total',
  'Tags invalidated (version bumped)',
);
export const cacheLeaseWaits = counter(
  'cache_lease_waits_total',
  'Misses that waited for another instance loading the same key: served from its entry, or gave up and loaded',
  ['name', 'result'],
);
export const cacheL1Hits = counter(
  'cache_l1_hits_total',
  'Lookups answered by the in-process L1 without Redis, by kind (entry, tag version)',
  ['kind'],
);
export const cacheL1Misses = counter(
  'cache_l1_misses_total',
  'Lookups L1 could not answer (read from Redis), by kind (entry, tag version)',
  ['kind'],
);
export const cacheL1Evictions = counter(
  'cache_l1_evictions_total',
  'Items evicted from L1 to stay within CACHE_L1_MAX_BYTES',
);
/** The L1 stores of this process (one per app; a test process may run several apps). */
const l1Stores = new Set<{ readonly bytes: number }>();
/** Counts `store` in `cache_l1_bytes` until the returned function is called. */
export function trackL1Bytes(store: { readonly bytes: number }): () => void {
  l1Stores.add(store);
  return () => l1Stores.delete(store);
}
export const cacheL1Bytes = gauge(
  'cache_l1_bytes',
  "Bytes the in-process L1 holds (its own count, bounded by CACHE_L1_MAX_BYTES); the sum over the process's apps",
  [],
  function () {
    let bytes = 0;
    for (const store of l1Stores) bytes += store.bytes;
    this.set(bytes);
  },
);
export const cacheBusDelay = histogram(
  'cache_tag_bus_delay_seconds',
  'From a tag bump PUBLISHed by one instance to its delivery on another (clocks of one host or synced)',
);
export const cacheFragments = counter(
  'cache_fragments_total',
  "Fragments merged into cached responses (e.g. a course's seats in a list page), found in L1 or Redis (hit) or loaded (miss), by kind",
  ['name', 'result'],
);
