import type { SectionFacts } from './registration.types';

// The waitlist's rules (DESIGN §9) as pure functions: what an add with `waitlist: true` does, the
// FIFO key, who a promotion walk promotes, skips, and whether the free seats open to everyone.

type Seats = Pick<
  SectionFacts,
  'capacity' | 'enrolled_count' | 'waitlist_capacity' | 'waitlist_count' | 'waitlist_open'
>;

/**
 * Whether a plain add may take a seat: one is free, and nobody waits — or the last promotion walk
 * found nobody waiting eligible (`waitlist_open`). The takeSeat condition says the same in DynamoDB.
 */
export const seatOpenForAdd = (s: Seats): boolean =>
  s.enrolled_count < s.capacity && (s.waitlist_count === 0 || s.waitlist_open === true);

export type JoinOutcome = 'enroll' | 'join' | 'no-waitlist' | 'waitlist-full';

/**
 * An add with `waitlist: true`: a seat a plain add could take is taken (PeopleSoft's "wait list if
 * class full"); otherwise the student joins, if the section has a waitlist with room.
 */
export function joinOutcome(s: Seats): JoinOutcome {
  if (seatOpenForAdd(s)) return 'enroll';
  if (s.waitlist_capacity <= 0) return 'no-waitlist';
  if (s.waitlist_count >= s.waitlist_capacity) return 'waitlist-full';
  return 'join';
}

/**
 * The FIFO sort key of a waitlisted row: the server's join time (ISO-8601 sorts as text), then the
 * row's ULID, which breaks ties within a millisecond.
 */
export const waitlistKey = (joinedAt: Date, ulid: string): string =>
  `${joinedAt.toISOString()}#${ulid}`;

export interface WaiterCheck {
  user_id: string;
  /** Why the student cannot be enrolled now; empty = eligible. */
  violations: readonly { code: string }[];
}

export interface PromotionPlan {
  /** The first `freeSeats` eligible waiters, in list order. */
  promote: string[];
  /** Ineligible waiters ahead of the last promoted one (or all, when seats stay free): they keep their place. */
  skipped: string[];
  /**
   * Seats stay free with nobody eligible waiting: they open to everyone until the next join
   * (the worker sets the section's `waitlist_open` marker).
   */
  openToAll: boolean;
}

/** Who a walk of the list (in FIFO order, every waiter) promotes into `freeSeats` seats. */
export function planPromotions(waiters: readonly WaiterCheck[], freeSeats: number): PromotionPlan {
  const promote: string[] = [];
  const skipped: string[] = [];
  for (const w of waiters) {
    if (promote.length >= freeSeats) break;
    if (w.violations.length === 0) promote.push(w.user_id);
    else skipped.push(w.user_id);
  }
  return { promote, skipped, openToAll: freeSeats > promote.length };
}

export type SweepDecision = 'due' | 'moved' | 'early';

/**
 * Whether an add-deadline sweep job (scheduled for `scheduledFor`) runs (DESIGN §9): `moved` when
 * the term is gone or its add_deadline is no longer the one the job was scheduled for (the job of
 * the new deadline does the work), `early` when the clock has not reached it yet (a worker whose
 * clock lags the producer's: the job is retried), else `due`.
 */
export function sweepDecision(
  term: { add_deadline: string } | null | undefined,
  scheduledFor: string,
  now: Date,
): SweepDecision {
  if (!term || Date.parse(term.add_deadline) !== Date.parse(scheduledFor)) return 'moved';
  return now.getTime() < Date.parse(term.add_deadline) ? 'early' : 'due';
}
