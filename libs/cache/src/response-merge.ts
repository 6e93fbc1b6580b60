import { Injectable, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { CacheContext } from './cacheable.decorator';
import { weakEtag } from './cached-response';

/**
 * A route's per-request merge (`@Cacheable({ merge })`): the cached page holds the stable fields
 * and lives long; what changes often (a course's seats) is merged into its JSON text on every
 * response, hit or miss, on the hit path and through Nest alike. The ETag is that of the text sent,
 * so it changes with what was merged and If-None-Match stays right.
 */
export interface ResponseMerge {
  /** The JSON text to send in place of `body` (the stored text); `body` itself when nothing changes. */
  merge(body: string, ctx: CacheContext): Promise<string>;
  /**
   * The same text when it can be had from what this instance holds, with no I/O (the hit path's
   * synchronous answer); undefined when it would need a read, or when the merge has no such path.
   */
  mergeHeld?(body: string, ctx: CacheContext): string | undefined;
}

/** The merge providers of the app's routes, resolved once (they live in the routes' own modules). */
@Injectable()
export class ResponseMerges {
  private readonly resolved = new Map<Type<ResponseMerge>, ResponseMerge>();

  constructor(private readonly moduleRef: ModuleRef) {}

  of(type: Type<ResponseMerge>): ResponseMerge {
    const known = this.resolved.get(type);
    if (known) return known;
    const merge = this.moduleRef.get(type, { strict: false }) as ResponseMerge | undefined;
    if (!merge) throw new Error(`merge provider ${type.name} is not provided by any module`);
    this.resolved.set(type, merge);
    return merge;
  }
}

/**
 * Where `"<key>":"<value>"` occurs in a JSON text, and the text with something inserted after each
 * occurrence, without parsing it: a cached page is merged as bytes, not re-read into objects. Only
 * a real key can match: inside a JSON string every `"` is escaped, so `"key":"` cannot occur there.
 * A value with an escape in it is left alone (ids never have one).
 *
 * A hit serves the same stored text again and again, and mostly with the same inserts: `of` keeps
 * the splice of the last MEMO_PAGES texts, and `apply` returns its last output (the same string,
 * whose ETag is then memoized too, see etagOf) while the inserts have not changed.
 */
export class KeyedSplice {
  /** Per key, the splices by text (looked up by the text itself: V8 keeps a string's hash). */
  private static readonly memo = new Map<string, Map<string, KeyedSplice>>();

  /** The values, in order (repeats kept). */
  readonly values: string[] = [];
  /** Where each value's closing quote ends: what is inserted goes there. */
  private readonly ends: number[] = [];
  private last: { inserts: readonly string[]; out: string } | undefined;
  private lastMap: { inserts: ReadonlyMap<string, string>; out: string } | undefined;

  /** The splice of `text` on `key`, memoized: repeated hits of one page find their positions once. */
  static of(text: string, key: string): KeyedSplice {
    let byText = KeyedSplice.memo.get(key);
    if (!byText) KeyedSplice.memo.set(key, (byText = new Map()));
    const known = byText.get(text);
    if (known) return known;
    const splice = new KeyedSplice(text, key);
    remember(byText, text, splice);
    return splice;
  }

  constructor(
    private readonly text: string,
    key: string,
  ) {
    const needle = `"${key}":"`;
    let at = text.indexOf(needle);
    while (at >= 0) {
      const start = at + needle.length;
      const close = text.indexOf('"', start);
      if (close < 0) break;
      if (!text.slice(start, close).includes('\\')) {
        this.values.push(text.slice(start, close));
        this.ends.push(close + 1);
      }
      at = text.indexOf(needle, close + 1);
    }
  }

  /**
   * The text with `inserts.get(value)` after each value (`fallback` where it has none). The same
   * map as last time (see FragmentCache.getMany) gives the same string back at once.
   */
  applyMap(inserts: ReadonlyMap<string, string>, fallback: string): string {
    if (this.lastMap?.inserts === inserts) return this.lastMap.out;
    const out = this.apply(this.values.map((v) => inserts.get(v) ?? fallback));
    this.lastMap = { inserts, out };
    return out;
  }

  /** The text with `inserts[i]` after the i-th value ('' inserts nothing). */
  apply(inserts: readonly string[]): string {
    const last = this.last;
    if (
      last &&
      last.inserts.length === inserts.length &&
      last.inserts.every((s, i) => s === inserts[i])
    )
      return last.out;
    const parts: string[] = [];
    let from = 0;
    for (let i = 0; i < this.ends.length; i++) {
      parts.push(this.text.slice(from, this.ends[i]), inserts[i] ?? '');
      from = this.ends[i];
    }
    parts.push(this.text.slice(from));
    // One flat string: a rope of 100 slices would be flattened again by every hash and write.
    const out = parts.join('');
    this.last = { inserts: [...inserts], out };
    return out;
  }
}

const etags = new Map<string, string>();

/**
 * weakEtag, memoized for the last MEMO_PAGES texts: a merged page is usually the same string as the
 * last time (KeyedSplice.apply), whose hash V8 keeps, so its ETag costs a map lookup, not a SHA-1.
 */
export function etagOf(text: string): string {
  const known = etags.get(text);
  if (known) return known;
  const etag = weakEtag(text);
  remember(etags, text, etag);
  return etag;
}

/** Pages whose splice and ETag are memoized (each holds the stored and the merged text). */
const MEMO_PAGES = 256;

/** Sets `key`, dropping the oldest entry beyond MEMO_PAGES (a Map iterates in insertion order). */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.set(key, value);
  if (map.size > MEMO_PAGES) map.delete(map.keys().next().value!);
}
