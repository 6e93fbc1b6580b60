import { createHash } from 'node:crypto';

// Every Redis key of the response cache, and every tag of the domain, is built here.
//   <prefix>:e:<name>:<digest>   a cached response (digest of owner, vary parts and tag versions)
//   <prefix>:tag:<tag>           a tag's version counter (INCR invalidates every entry built on it)
//   <prefix>:f:<name>:<id>:<v>   a fragment merged into cached responses (e.g. one course's seats)
//                                under version v of its tag

export type CacheScope = 'public' | 'user';

/** Longer parts are hashed so keys stay short whatever the ids look like. */
const MAX_PLAIN_TAG_LENGTH = 100;

export const digest = (s: string): string => createHash('sha1').update(s).digest('base64url');

/**
 * A canonical JSON text of a request's parts: object keys sorted at every level, undefined dropped,
 * array order kept (the handler sees that order, so it may matter), so `?b=2&a=1` and `?a=1&b=2`
 * give the same text.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value)) ?? 'null';
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : normalise(v)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = normalise(v);
    }
    return out;
  }
  return value;
}

export interface EntryKeyParts {
  prefix: string;
  /** The route's cache name (from @Cacheable). */
  name: string;
  scope: CacheScope;
  /** The caller's `sub`; required for scope 'user'. */
  userId?: string;
  /** What tells one response of the route from another: its params and query, or the decorator's `key`. */
  vary: Record<string, unknown>;
  /** The entry's tags with their current versions: bumping any of them orphans the entry. */
  tagVersions: ReadonlyArray<readonly [tag: string, version: string]>;
}

/**
 * The entry's key, or null when it must not be cached: a per-user entry without a user would be
 * shared by every anonymous caller, so it is never built.
 */
export function entryKey(p: EntryKeyParts): string | null {
  if (p.scope === 'user' && !p.userId) return null;
  const owner = p.scope === 'user' ? `user:${p.userId}` : 'public';
  return `${p.prefix}:e:${p.name}:${digest(canonicalJson([owner, p.vary, p.tagVersions]))}`;
}

export function tagKey(prefix: string, tag: string): string {
  return `${prefix}:tag:${tag.length <= MAX_PLAIN_TAG_LENGTH ? tag : digest(tag)}`;
}

/** A fragment's key: its kind, its id and the version of its tag (a bump orphans it). */
export function fragmentKey(prefix: string, name: string, id: string, version: string): string {
  const part = id.length <= MAX_PLAIN_TAG_LENGTH ? id : digest(id);
  return `${prefix}:f:${name}:${part}:${version}`;
}
