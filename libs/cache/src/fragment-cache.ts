import { Inject, Injectable } from '@nestjs/common';
import { cacheConfig } from '@app/common';
import type { CacheConfig, RedisClient } from '@app/common';
import { fragmentKey } from './cache-keys';
import { cacheFragments } from './cache.metrics';
import { getAll } from './get-all';
import { CACHE_REDIS } from './cache.tokens';
import { TagBus } from './l1/tag-bus';
import { ResponseCache } from './response-cache';
import { TagVersions } from './tag-versions';
import { jitteredTtl } from './ttl-jitter';

export interface FragmentRequest {
  /** The kind of fragment, in keys and metrics (e.g. 'seats'). */
  name: string;
  ids: readonly string[];
  /** The tag whose bump invalidates an id's fragment. */
  tagOf: (id: string) => string;
  ttlMs: number;
  /** The fragments of ids found nowhere; ids it leaves out get none and are not cached. */
  load: (ids: string[]) => Promise<Map<string, string>>;
}

/**
 * Small per-id texts merged into cached responses (a course's seat fields into a list page): each
 * stored under the current version of its id's tag, in L1 and Redis, for a short TTL, so a bump of
 * that tag (an enroll) makes the next read load it again while the page around it stays cached. The
 * version is read before the load, so what is stored under it is never older than the write that
 * bumped it last (as for entries; a missing counter is created by the store). Fails open: without
 * Redis, or with the cache off, every fragment is loaded.
 */
@Injectable()
export class FragmentCache {
  /** Loads under way, by fragment key (its version included: a newer version never joins an older load). */
  private readonly inFlight = new Map<string, Promise<string | undefined>>();
  /** Reads under way per ids array (see getMany). */
  private readonly reading = new WeakMap<
    readonly string[],
    { generation: number; out: Promise<Map<string, string>> }
  >();
  /** The last answer per ids array (see getMany); dropped with the array. */
  private readonly memo = new WeakMap<
    readonly string[],
    { generation: number; until: number; out: ReadonlyMap<string, string> }
  >();

  constructor(
    @Inject(CACHE_REDIS) private readonly redis: RedisClient,
    @Inject(cacheConfig.KEY) private readonly config: CacheConfig,
    private readonly cache: ResponseCache,
    private readonly tagVersions: TagVersions,
    private readonly bus: TagBus,
  ) {}

  /**
   * The fragments of `req.ids`, by id. A caller that asks again with the same array (a hot page's
   * memoized splice values) gets the same Map back without any per-id work while nothing was
   * dropped from L1 (no tag bump anywhere: its generation) and every L1 item it was built from is
   * still held, so it is exactly as fresh as reading them one by one would be.
   */
  async getMany(req: FragmentRequest): Promise<ReadonlyMap<string, string>> {
    const held = this.held(req);
    if (held) return held;
    const l1 = this.bus.l1;
    const generation = l1?.generation ?? 0;
    // Concurrent callers with the same array share one read (when L1's items of a hot page expire,
    // every request for it would otherwise read the same fragments at once), unless something was
    // dropped since it began.
    const pending = this.reading.get(req.ids);
    if (pending && pending.generation === generation) return pending.out;
    const started = performance.now();
    const read = this.read(req);
    const out = read.then((r) => r.out);
    out.catch(() => undefined); // the error reaches this caller through `read`, and any joiner
    this.reading.set(req.ids, { generation, out });
    try {
      const { heldMs } = await read;
      if (l1 && heldMs > 0 && generation === l1.generation)
        this.memo.set(req.ids, { generation, until: started + heldMs, out: await out });
      return await out;
    } finally {
      if (this.reading.get(req.ids)?.out === out) this.reading.delete(req.ids);
    }
  }

  /**
   * getMany's answer when it needs no work at all (the same array asked for again, see getMany),
   * with no I/O and no promise; else undefined.
   */
  held(req: Pick<FragmentRequest, 'name' | 'ids'>): ReadonlyMap<string, string> | undefined {
    const l1 = this.bus.l1;
    const memo = this.memo.get(req.ids);
    if (!memo || !l1 || memo.generation !== l1.generation || performance.now() >= memo.until)
      return undefined;
    cacheFragments.inc({ name: req.name, result: 'hit' }, memo.out.size);
    return memo.out;
  }

  /** The fragments, and how long the L1 items they were read from stay held (0: none to keep). */
  private async read(req: FragmentRequest): Promise<{ out: Map<string, string>; heldMs: number }> {
    const ids = [...new Set(req.ids)];
    const none = { heldMs: 0 };
    if (ids.length === 0) return { out: new Map(), ...none };
    if (!this.config.enabled) return { out: await req.load(ids), ...none };
    const tags = ids.map(req.tagOf);
    const versions = await this.cache.guard('tags', () => this.tagVersions.versions(tags));
    if (!versions) return { out: await req.load(ids), ...none };
    const keys = versions.value.map((v, i) =>
      v === null ? null : fragmentKey(this.config.prefix, req.name, ids[i], v),
    );

    const out = new Map<string, string>();
    const l1 = this.bus.l1;
    // The shortest time left of the L1 items used (a memo of this answer must not outlive them).
    let heldMs = l1 ? this.config.l1TtlMs : 0;
    if (l1) for (const tag of tags) heldMs = Math.min(heldMs, l1.ttlLeft('tag', tag));
    const fromRedis: number[] = [];
    let missing: number[] = [];
    keys.forEach((key, i) => {
      const local = key === null ? undefined : l1?.fragment(key);
      if (local !== undefined) {
        out.set(ids[i], local);
        heldMs = Math.min(heldMs, l1!.ttlLeft('fragment', key!));
      } else if (key === null) missing.push(i);
      else fromRedis.push(i);
    });
    if (fromRedis.length > 0) {
      const generation = l1?.generation ?? 0;
      const got = await this.cache.guard('get', () =>
        getAll(
          this.redis,
          fromRedis.map((i) => keys[i]!),
        ),
      );
      fromRedis.forEach((i, n) => {
        const text = got?.value[n];
        if (text === undefined || text === null) return missing.push(i);
        out.set(ids[i], text);
        l1?.setFragment(keys[i]!, text, [tags[i]], generation);
      });
    }
    cacheFragments.inc({ name: req.name, result: 'hit' }, ids.length - missing.length);
    // Fragments not in L1 now were never put there: nothing of this answer to memoize.
    if (fromRedis.some((i) => !l1?.fragment(keys[i]!))) heldMs = 0;
    if (missing.length === 0) return { out, heldMs };
    cacheFragments.inc({ name: req.name, result: 'miss' }, missing.length);

    missing = missing.sort((a, b) => a - b);
    // Concurrent misses of one fragment under one version share one load: the first request's
    // batch (a hot page's first hits would otherwise each read the same ids).
    const flightOf = (i: number) =>
      keys[i] ?? fragmentKey(this.config.prefix, req.name, ids[i], '-');
    const joined = missing.filter((i) => this.inFlight.has(flightOf(i)));
    const own = missing.filter((i) => !this.inFlight.has(flightOf(i)));
    const batch =
      own.length > 0 ? Promise.resolve().then(() => req.load(own.map((i) => ids[i]))) : undefined;
    batch?.catch(() => undefined); // awaited below, unless a joined load failed first
    for (const i of own) {
      const key = flightOf(i);
      const one = batch!.then((m) => m.get(ids[i]));
      this.inFlight.set(key, one);
      const release = () => {
        if (this.inFlight.get(key) === one) this.inFlight.delete(key);
      };
      one.then(release, release);
    }
    const waited = await Promise.all(joined.map((i) => this.inFlight.get(flightOf(i))!));
    joined.forEach((i, n) => {
      if (waited[n] !== undefined) out.set(ids[i], waited[n]);
    });
    const loaded = batch ? await batch : new Map<string, string>();
    // Only what this request loaded is stored (by it): a joined load is its leader's to store.
    const seed = this.tagVersions.newSeed();
    const unseeded: string[] = [];
    const writes: [string, string][] = [];
    for (const i of own) {
      const text = loaded.get(ids[i]);
      if (text === undefined) continue;
      out.set(ids[i], text);
      if (keys[i] === null) unseeded.push(tags[i]);
      writes.push([keys[i] ?? fragmentKey(this.config.prefix, req.name, ids[i], seed), text]);
    }
    // Loaded fragments reach L1 only with a later read: this answer is not memoized.
    if (writes.length === 0) return { out, heldMs: 0 };
    const ttl = jitteredTtl(req.ttlMs);
    // Fire-and-forget, single-key commands issued together (auto-pipelined), as entries are stored.
    void this.cache.guard('set', () =>
      Promise.all([
        ...this.tagVersions.seed(unseeded, seed),
        ...writes.map(([key, text]) => this.redis.set(key, text, 'PX', ttl)),
      ]),
    );
    return { out, heldMs: 0 };
  }
}
