import type { TermCalendar } from '@app/registration';

export type WaitlistMode = 'auto' | 'offer';

/** A term item (DESIGN §8): its registration calendar and waitlist policy. */
export interface Term extends TermCalendar {
  name: string;
  waitlist_mode: WaitlistMode;
  offer_hold_minutes: number;
  updated_at: string;
}
