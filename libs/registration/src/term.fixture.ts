import type { SectionFacts, TermCalendar } from './registration.types';

/** A term for the rules' specs: registration opens 1 Aug 2026, seniors from 28 Jul. */
export const FALL_2026: TermCalendar = {
  term_id: '2026-FALL',
  registration_opens_at: '2026-08-01T09:00:00Z',
  priority_windows: [{ group: 'senior', opens_at: '2026-07-28T09:00:00Z' }],
  add_deadline: '2026-09-10T23:59:59Z',
  drop_deadline: '2026-09-20T23:59:59Z',
  withdraw_deadline: '2026-11-01T23:59:59Z',
  max_credits: 12,
};

/** A 4-credit section of 2026-FALL for the rules' specs, with room and no meetings or requisites. */
export function section(id: string, over: Partial<SectionFacts> = {}): SectionFacts {
  return {
    course_id: id,
    course_code: id.split('-')[0],
    semester_id: '2026-FALL',
    credits: 4,
    capacity: 30,
    enrolled_count: 0,
    meetings: [],
    prerequisites: [],
    corequisites: [],
    waitlist_capacity: 0,
    waitlist_count: 0,
    ...over,
  };
}
