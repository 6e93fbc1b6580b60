// The inputs of the registration rules, as plain data: the services load them, the rules only read.

export type Day = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';
export const DAYS: readonly Day[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** A weekly meeting of a section: days and a time span, `HH:MM` (24 h), start < end. */
export interface Meeting {
  days: Day[];
  start: string;
  end: string;
}

/** One term's registration calendar (DESIGN §8); times are ISO-8601. */
export interface TermCalendar {
  term_id: string;
  registration_opens_at: string;
  priority_windows?: { group: string; opens_at: string }[];
  add_deadline: string;
  drop_deadline: string;
  withdraw_deadline: string;
  max_credits: number;
}

/** What the rules need of a section (a course item). */
export interface SectionFacts {
  course_id: string;
  course_code: string;
  semester_id: string;
  credits: number;
  capacity: number;
  enrolled_count: number;
  /** Weekly meetings; empty = to be announced. */
  meetings: Meeting[];
  /** Course codes that must be completed (or taken in an earlier term) first. */
  prerequisites: string[];
  /** Course codes to take in the same term. */
  corequisites: string[];
  /** Places on the waitlist; 0 = no waitlist. */
  waitlist_capacity: number;
  /** Volatile like enrolled_count: never projected into a GSI. */
  waitlist_count: number;
  /**
   * Set by the promotion worker when nobody waiting is eligible: the free seats are open to a plain
   * add although students wait (DESIGN §9). A join clears it.
   */
  waitlist_open?: boolean;
}

export interface Hold {
  hold_id: string;
  code: string;
  reason: string;
}

export interface StudentFacts {
  user_id: string;
  priority_group?: string;
  /** A personal override of the term's limit. */
  max_credits?: number;
  completed_courses: string[];
  holds: Hold[];
}

export type EnrollmentStatus = 'enrolled' | 'waitlisted' | 'offered' | 'withdrawn';

/** A row of the student's schedule, any term, with its section's facts. */
export interface ScheduleEntry {
  status: EnrollmentStatus;
  section: SectionFacts;
}

export const PERMIT_TYPES = [
  'CAPACITY',
  'PREREQUISITE',
  'TIME_CONFLICT',
  'CREDIT_LIMIT',
  'WINDOW',
] as const;
export type PermitType = (typeof PERMIT_TYPES)[number];

export interface Permit {
  course_id: string;
  type: PermitType;
  expires_at?: string;
}
