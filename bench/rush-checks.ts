import { percentile, round } from './stats';

/** One section as read back from DynamoDB after the drain: the counters and its enrolled rows. */
export interface SectionReadback {
  course_id: string;
  capacity: number;
  enrolled_count: number;
  /** Rows with status enrolled, counted through EnrollmentsByCourse (a Query, never a Scan). */
  enrolled_rows: number;
  waitlist_count: number;
}

export interface SeatCheck {
  pass: boolean;
  sections: number;
  /** enrolled_count > capacity. */
  oversold: string[];
  /** enrolled_count ≠ the enrolled rows. */
  mismatched: string[];
}

/** No oversell: per section enrolled_count ≤ capacity and equal to its enrolled rows. */
export function checkSeats(sections: readonly SectionReadback[]): SeatCheck {
  const oversold = sections.filter((s) => s.enrolled_count > s.capacity).map((s) => s.course_id);
  const mismatched = sections
    .filter((s) => s.enrolled_count !== s.enrolled_rows)
    .map((s) => s.course_id);
  return {
    pass: oversold.length === 0 && mismatched.length === 0,
    sections: sections.length,
    oversold,
    mismatched,
  };
}

export interface HistoryEvent {
  event_id: string;
  type: string;
  user_id: string;
  at: string;
}

/** The section's waitlist as WaitlistByCourse lists it (index order). */
export interface WaitlistEntry {
  user_id: string;
  waitlisted_at: string;
}

/**
 * The waitlist is in join order: the users it lists are exactly those History records as
 * `waitlisted` for the section (none of them left in this run), and their join times (History's
 * `at`) never go down along the list. Joins within the same millisecond are a tie either way.
 */
export function waitlistInJoinOrder(
  waitlist: readonly WaitlistEntry[],
  history: readonly HistoryEvent[],
): { pass: boolean; listed: number; joined: number; out_of_order: number } {
  const joinedAt = new Map(
    history.filter((e) => e.type === 'waitlisted').map((e) => [e.user_id, e.at]),
  );
  let outOfOrder = 0;
  let last = '';
  for (const w of waitlist) {
    const at = joinedAt.get(w.user_id);
    if (at === undefined || at < last) outOfOrder++;
    else last = at;
  }
  const pass =
    outOfOrder === 0 &&
    waitlist.length === joinedAt.size &&
    new Set(waitlist.map((w) => w.user_id)).size === waitlist.length;
  return { pass, listed: waitlist.length, joined: joinedAt.size, out_of_order: outOfOrder };
}

/**
 * Promotions in order: the students History records as `promoted` (in event order) are the head of
 * the waitlist as it stood before the drops, in that order, and there is one per seat freed while
 * someone waited (min(drops, waiters)).
 */
export function promotionsInOrder(
  waitlistBefore: readonly WaitlistEntry[],
  history: readonly HistoryEvent[],
  dropsInSection: number,
): { pass: boolean; promoted: number; expected: number } {
  const promoted = history
    .filter((e) => e.type === 'promoted')
    .sort((a, b) => (a.event_id < b.event_id ? -1 : 1))
    .map((e) => e.user_id);
  const expected = Math.min(dropsInSection, waitlistBefore.length);
  const head = waitlistBefore.slice(0, promoted.length).map((w) => w.user_id);
  const pass = promoted.length === expected && promoted.every((u, i) => u === head[i]);
  return { pass, promoted: promoted.length, expected };
}

/**
 * Seat freed → student enrolled, per promotion: the section's k-th `dropped` entry (by time) freed
 * the seat its k-th `promoted` entry took. Milliseconds, in promotion order.
 */
export function promotionLatenciesMs(history: readonly HistoryEvent[]): number[] {
  const times = (type: string) =>
    history
      .filter((e) => e.type === type)
      .map((e) => Date.parse(e.at))
      .sort((a, b) => a - b);
  const freed = times('dropped');
  return times('promoted')
    .slice(0, freed.length)
    .map((t, i) => Math.max(0, t - freed[i]));
}

/** The History types whose transaction writes an emailing outbox event (waitlist_removed is silent). */
const EMAILING = new Set(['enrolled', 'waitlisted', 'dropped', 'withdrawn', 'promoted']);

/**
 * The emails a student's History implies: one per emailing change, a cart's lines (one event, one
 * email listing them, all at the cart's time, whether enrolled or waitlisted) counting once. Read
 * from History, not from the answers: a write that committed under a 503 (the client's wait ran
 * out first) sent its email too.
 */
export function emailsImplied(history: readonly HistoryEvent[]): number {
  return new Set(history.filter((e) => EMAILING.has(e.type)).map((e) => e.at)).size;
}

export interface EmailCheck {
  pass: boolean;
  expected: number;
  delivered: number;
  unique: number;
  /** Message-IDs received more than once. */
  duplicated: number;
}

/** Every email delivered exactly once: one message per expected change, no Message-ID twice. */
export function checkEmails(messageIds: readonly string[], expected: number): EmailCheck {
  const counts = new Map<string, number>();
  for (const id of messageIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  const duplicated = [...counts.values()].filter((n) => n > 1).length;
  return {
    pass: duplicated === 0 && counts.size === expected,
    expected,
    delivered: messageIds.length,
    unique: counts.size,
    duplicated,
  };
}

export interface LatencySummary {
  count: number;
  p50_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
}

export function summarize(values: readonly number[]): LatencySummary {
  if (values.length === 0) return { count: 0, p50_ms: null, p99_ms: null, max_ms: null };
  const sorted = Float64Array.from(values).sort();
  return {
    count: values.length,
    p50_ms: round(percentile(sorted, 0.5), 1),
    p99_ms: round(percentile(sorted, 0.99), 1),
    max_ms: round(sorted[sorted.length - 1], 1),
  };
}

/** A status count key: `201`, `409 COURSE_FULL`, `0 NO_ANSWER`… */
export const statusKey = (status: number, code?: string): string =>
  code && status >= 300 ? `${status} ${code}` : String(status);
