import type { Term } from '@app/data';

/**
 * A fall term's calendar for specs that register in it, with dates of the term's year:
 * registration opens 1 Aug, adds close 10 Sep, drops 20 Sep, withdrawals 1 Nov.
 */
export function fallTerm(termId: string, over: Partial<Term> = {}): Term {
  const year = termId.split('-')[0];
  return {
    term_id: termId,
    name: `Fall ${year}`,
    registration_opens_at: `${year}-08-01T09:00:00Z`,
    add_deadline: `${year}-09-10T23:59:59Z`,
    drop_deadline: `${year}-09-20T23:59:59Z`,
    withdraw_deadline: `${year}-11-01T23:59:59Z`,
    max_credits: 18,
    waitlist_mode: 'auto',
    offer_hold_minutes: 1440,
    updated_at: `${year}-01-01T00:00:00Z`,
    ...over,
  };
}
