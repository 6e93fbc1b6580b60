import { createHash } from 'node:crypto';

// Every cache key and tag of the system is built here.

const digest = (s: string) => createHash('sha1').update(s).digest('base64url').slice(0, 22);

/** Query values normalised and sorted, so `?a=1&b=2` and `?b=2&a=1` share an entry. */
export function canonicalQuery(query: Record<string, unknown>): string {
  return Object.keys(query)
    .filter((k) => query[k] !== undefined)
    .sort()
    .map((k) => `${k}=${JSON.stringify(query[k])}`)
    .join('&');
}

export interface EntryKeyParts {
  prefix: string;
  name: string;
  params: Record<string, string>;
  query: Record<string, unknown>;
  /** The caller's id for per-user entries; a per-user entry without one is never built. */
  userId?: string;
  /** Current versions of the entry's tags: bumping any of them orphans the entry. */
  tagVersions: string[];
}

export function entryKey(p: EntryKeyParts): string {
  const params = canonicalQuery(p.params);
  const query = canonicalQuery(p.query);
  const scope = p.userId === undefined ? 'public' : `user:${p.userId}`;
  return `${p.prefix}:e:${p.name}:${digest(`${scope}|${params}|${query}|${p.tagVersions.join(',')}`)}`;
}

export const tagKey = (prefix: string, tag: string) => `${prefix}:tag:${tag}`;

/** Tags of the domain: what a write names to invalidate every entry built from that data. */
export const Tags = {
  course: (courseId: string) => `course:${courseId}`,
  semester: (semesterId: string) => `semester:${semesterId}`,
  instructor: (instructorId: string) => `instructor:${instructorId}`,
  /** Every by-instructor list (a reassignment moves a course between two of them). */
  instructorLists: () => 'instructor-lists',
  /** A course's seat count, changed by every enroll and drop. */
  seats: (courseId: string) => `seats:${courseId}`,
  roster: (courseId: string) => `roster:${courseId}`,
  userEnrollments: (userId: string) => `user-enrollments:${userId}`,
  user: (userId: string) => `user:${userId}`,
};

/** ±10 % so that entries written together do not all expire together. */
export const jitteredTtl = (ttlMs: number, random = Math.random): number => Math.round(ttlMs * (0.9 + 0.2 * random()));
