import { Injectable, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { CacheContext } from './cacheable.decorator';

/**
 * A route's per-request merge (`@Cacheable({ merge })`): the cached page holds the stable fields
 * and lives long; what changes often (a course's seats) is merged into its JSON text on every
 * response, hit or miss, on the hit path and through Nest alike. The ETag is that of the text sent,
 * so it changes with what was merged and If-None-Match stays right.
 */
export interface ResponseMerge {
  /** The JSON text to send in place of `body` (the stored text); `body` itself when nothing changes. */
  merge(body: string, ctx: CacheContext): Promise<string>;
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
 */
export class KeyedSplice {
  /** The values, in order (repeats kept). */
  readonly values: string[] = [];
  /** Where each value's closing quote ends: what is inserted goes there. */
  private readonly ends: number[] = [];

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

  /** The text with `inserts[i]` after the i-th value ('' inserts nothing). */
  apply(inserts: readonly string[]): string {
    let out = '';
    let from = 0;
    for (let i = 0; i < this.ends.length; i++) {
      out += this.text.slice(from, this.ends[i]) + (inserts[i] ?? '');
      from = this.ends[i];
    }
    return out + this.text.slice(from);
  }
}
