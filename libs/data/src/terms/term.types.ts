import type { TermCalendar } from '@app/registration';

export type WaitlistMode = 'auto' | 'offer';

/** A term item (DESIGN §8): its registration calendar and waitlist policy. */
export interface Term extends TermCalendar {
  name: string;
  waitlist_mode: WaitlistMode;
  offer_hold_minutes: number;
  updated_at: string;
}

/** What a term gets for the fields its calendar leaves out (DESIGN §8). */
export const TERM_DEFAULTS = {
  max_credits: 18,
  waitlist_mode: 'auto',
  offer_hold_minutes: 1440,
} as const satisfies Partial<Term>;
