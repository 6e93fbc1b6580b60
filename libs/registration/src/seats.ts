import type { SectionFacts } from './registration.types';

/**
 * What class search shows of a section (DESIGN §8): `open` a seat and nobody waiting, `waitlist` no
 * seat for a plain add but room on the waitlist, `full` neither.
 */
export type SeatStatus = 'open' | 'waitlist' | 'full';

export type SeatCounts = Pick<
  SectionFacts,
  'capacity' | 'enrolled_count' | 'waitlist_capacity' | 'waitlist_count' | 'waitlist_open'
>;

export interface SeatFields {
  seats_available: number;
  waitlist_count: number;
  status: SeatStatus;
}

/**
 * The seat fields of a section, by the rule the enroll applies (eligibility's COURSE_FULL): a seat
 * held for the waitlist is not free for a plain add, so anyone waiting makes it `waitlist` or
 * `full` whatever seats_available says, unless the promotion worker found nobody waiting
 * eligible (`waitlist_open`, the takeSeat condition's marker: seatOpenForAdd).
 */
export function seatStatus(c: SeatCounts): SeatFields {
  const seats = Math.max(0, c.capacity - c.enrolled_count);
  const waiting = Math.max(0, c.waitlist_count);
  const status: SeatStatus =
    seats > 0 && (waiting === 0 || c.waitlist_open === true)
      ? 'open'
      : waiting < c.waitlist_capacity
        ? 'waitlist'
        : 'full';
  return { seats_available: seats, waitlist_count: waiting, status };
}
