import { LRUCache } from 'lru-cache';
import type { CachedResponse } from '../cached-response';

/**
 * What L1 holds under one key: an entry or a fragment (with the tags its key was built from), or a
 * tag's version.
 */
type L1Value =
  | { kind: 'entry'; entry: CachedResponse; tags: readonly string[] }
  | { kind: 'fragment'; text: string; tags: readonly string[] }
  | { kind: 'tag'; version: string };

export interface L1Options {
  /** The bound on what L1 holds, in bytes (approximate: UTF-16 string sizes plus a per-item overhead). */
  maxBytes: number;
  /** How long an item lives: the staleness bound when a bus message is lost. */
  ttlMs: number;
  onEvict?: () => void;
  /** The clock TTLs are measured on (tests); performance.now() by default. */
  now?: () => number;
}

/** Per item, the bookkeeping lru-cache and the tag index keep beside the strings. */
const ITEM_OVERHEAD_BYTES = 200;
const TAG = 't\u0000';
const ENTRY = 'e\u0000';
const FRAGMENT = 'f\u0000';

/**
 * The in-process level in front of Redis: entries by their full key, and tag versions by tag, in
 * one LRU bounded in bytes, every item living at most `ttlMs`. Dropping a tag removes its version
 * and every entry whose key used it, and bumps `generation`: a Redis read that started before a
 * drop must not put what it read into L1 (it may be the version the drop was about), so callers
 * pass the generation they saw before reading and `set*` ignores them when it moved.
 */
export class L1Store {
  private readonly lru: LRUCache<string, L1Value>;
  /** Tag → keys of the entries built on it; cleaned as entries leave the LRU. */
  private readonly byTag = new Map<string, Set<string>>();
  private gen = 0;

  constructor(opts: L1Options) {
    this.lru = new LRUCache<string, L1Value>({
      maxSize: opts.maxBytes,
      ttl: opts.ttlMs,
      // Expired items are not served (lru-cache checks the TTL on read); no timers.
      ttlAutopurge: false,
      ...(opts.now ? { perf: { now: opts.now }, ttlResolution: 0 } : {}),
      sizeCalculation: (value, key) => sizeOf(key, value),
      dispose: (value, key, reason) => {
        if (value.kind !== 'tag') this.unindex(key, value.tags);
        if (reason === 'evict') opts.onEvict?.();
      },
    });
  }

  get generation(): number {
    return this.gen;
  }

  /** Bytes held (the LRU's own count, bounded by maxBytes). */
  get bytes(): number {
    return this.lru.calculatedSize;
  }

  get size(): number {
    return this.lru.size;
  }

  tagVersion(tag: string): string | undefined {
    const v = this.lru.get(TAG + tag);
    return v?.kind === 'tag' ? v.version : undefined;
  }

  entry(key: string): CachedResponse | undefined {
    const v = this.lru.get(ENTRY + key);
    return v?.kind === 'entry' ? v.entry : undefined;
  }

  /** A fragment (see FragmentCache) by its full key. */
  fragment(key: string): string | undefined {
    const v = this.lru.get(FRAGMENT + key);
    return v?.kind === 'fragment' ? v.text : undefined;
  }

  /**
   * How long the tag's version (or the fragment) has left in L1, in ms; 0 when it is not held.
   * What is built from L1 items must not outlive them (the staleness bound is theirs).
   */
  ttlLeft(kind: 'tag' | 'fragment', key: string): number {
    const k = (kind === 'tag' ? TAG : FRAGMENT) + key;
    return this.lru.has(k) ? this.lru.getRemainingTTL(k) : 0;
  }

  setTagVersion(tag: string, version: string, generation: number): void {
    if (generation !== this.gen) return;
    this.put(TAG + tag, { kind: 'tag', version });
  }

  setEntry(key: string, entry: CachedResponse, tags: readonly string[], generation: number): void {
    if (generation !== this.gen) return;
    this.putIndexed(ENTRY + key, { kind: 'entry', entry, tags });
  }

  setFragment(key: string, text: string, tags: readonly string[], generation: number): void {
    if (generation !== this.gen) return;
    this.putIndexed(FRAGMENT + key, { kind: 'fragment', text, tags });
  }

  private putIndexed(k: string, value: Exclude<L1Value, { kind: 'tag' }>): void {
    if (!this.put(k, value)) return;
    for (const tag of value.tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(k);
    }
  }

  /** Forgets the tags' versions and every entry built on them. */
  drop(tags: Iterable<string>): void {
    this.gen++;
    for (const tag of tags) {
      this.lru.delete(TAG + tag);
      const keys = this.byTag.get(tag);
      if (!keys) continue;
      for (const k of [...keys]) this.lru.delete(k);
      this.byTag.delete(tag);
    }
  }

  /** Forgets everything (the bus reconnected: messages may have been missed meanwhile). */
  clear(): void {
    this.gen++;
    this.lru.clear();
    this.byTag.clear();
  }

  /** False when the item alone is larger than the bound (lru-cache then refuses it). */
  private put(key: string, value: L1Value): boolean {
    if (sizeOf(key, value) > this.lru.maxSize) return false;
    this.lru.set(key, value);
    return this.lru.has(key);
  }

  private unindex(key: string, tags: readonly string[]): void {
    for (const tag of tags) {
      const keys = this.byTag.get(tag);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) this.byTag.delete(tag);
    }
  }
}

function sizeOf(key: string, value: L1Value): number {
  const tags = (t: readonly string[]) =>
    t.reduce((n, tag) => n + tag.length + ITEM_OVERHEAD_BYTES / 4, 0);
  const strings =
    value.kind === 'tag'
      ? value.version.length
      : value.kind === 'fragment'
        ? value.text.length + tags(value.tags)
        : value.entry.body.length + value.entry.etag.length + tags(value.tags);
  return Math.max(1, 2 * (key.length + strings) + ITEM_OVERHEAD_BYTES);
}
