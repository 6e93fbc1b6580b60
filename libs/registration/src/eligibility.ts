import { meetingsOverlap } from './meetings';
import type {
  Permit,
  PermitType,
  ScheduleEntry,
  SectionFacts,
  StudentFacts,
  TermCalendar,
} from './registration.types';
import { compareTerms, opensAtFor } from './terms';

/** Every rule of DESIGN §8, in the order a course's violations are listed. */
export const VIOLATION_CODES = [
  'REGISTRATION_NOT_OPEN',
  'REGISTRATION_CLOSED',
  'HOLD',
  'DUPLICATE_COURSE',
  'PREREQUISITE_MISSING',
  'COREQUISITE_MISSING',
  'TIME_CONFLICT',
  'CREDIT_LIMIT',
  'COURSE_FULL',
] as const;
export type ViolationCode = (typeof VIOLATION_CODES)[number];

/** The permit that waives a rule, where one does. */
export const WAIVED_BY: Partial<Record<ViolationCode, PermitType>> = {
  REGISTRATION_NOT_OPEN: 'WINDOW',
  REGISTRATION_CLOSED: 'WINDOW',
  PREREQUISITE_MISSING: 'PREREQUISITE',
  TIME_CONFLICT: 'TIME_CONFLICT',
  CREDIT_LIMIT: 'CREDIT_LIMIT',
  COURSE_FULL: 'CAPACITY',
};

export interface Violation {
  code: ViolationCode;
  course_id: string;
  message: string;
  [detail: string]: unknown;
}

export interface EligibilityRequest {
  student: StudentFacts;
  /** The term the adds and drops belong to. */
  termId: string;
  /** Its calendar; null for a semester without a term item (always open). */
  term: TermCalendar | null;
  /** The limit when neither the student nor the term sets one. */
  defaultMaxCredits: number;
  /** Every row of the student's schedule, every term. */
  schedule: readonly ScheduleEntry[];
  adds: readonly SectionFacts[];
  /** Course ids of schedule rows this request removes. */
  drops: readonly string[];
  permits: readonly Permit[];
  now: Date;
  /** A waitlist join instead of an add: capacity does not apply (DESIGN §9). */
  waitlist?: boolean;
}

/**
 * Every reason the adds of a request cannot be had, given a snapshot of the student, the term, the
 * schedule and the permits: pure, no I/O, no clock of its own. Drops are always allowed here (a
 * hold does not stop one; the deadlines of a drop are dropOutcome's). An empty list means every add
 * may go ahead; the caller's transaction then re-checks what can change under it (seats, the
 * schedule's version).
 */
export function checkEligibility(req: EligibilityRequest): Violation[] {
  const dropping = new Set(req.drops);
  const kept = req.schedule.filter((e) => !dropping.has(e.section.course_id));
  const thisTerm = kept.filter(
    (e) => e.section.semester_id === req.termId && e.status !== 'withdrawn',
  );
  const enrolledNow = thisTerm.filter((e) => e.status === 'enrolled');
  const waived = (courseId: string, code: ViolationCode) => {
    const type = WAIVED_BY[code];
    return (
      type !== undefined &&
      req.permits.some(
        (p) =>
          p.course_id === courseId &&
          p.type === type &&
          (p.expires_at === undefined || Date.parse(p.expires_at) > req.now.getTime()),
      )
    );
  };
  const limit = req.student.max_credits ?? req.term?.max_credits ?? req.defaultMaxCredits;
  const attempted =
    enrolledNow.reduce((sum, e) => sum + e.section.credits, 0) +
    req.adds.reduce((sum, s) => sum + s.credits, 0);

  const violations: Violation[] = [];
  req.adds.forEach((add, i) => {
    const found: Violation[] = [];
    const add_ = (code: ViolationCode, message: string, details: Record<string, unknown> = {}) => {
      if (!waived(add.course_id, code))
        found.push({ code, course_id: add.course_id, message, ...details });
    };
    const otherAdds = req.adds.filter((_, j) => j !== i);

    if (req.term) {
      const opensAt = opensAtFor(req.term, req.student.priority_group);
      if (req.now.getTime() < Date.parse(opensAt))
        add_('REGISTRATION_NOT_OPEN', `registration opens at ${opensAt}`, { opens_at: opensAt });
      else if (req.now.getTime() > Date.parse(req.term.add_deadline))
        add_('REGISTRATION_CLOSED', `the add deadline was ${req.term.add_deadline}`, {
          add_deadline: req.term.add_deadline,
        });
    }
    if (req.student.holds.length > 0)
      add_('HOLD', 'the student has an active hold', {
        holds: req.student.holds.map((h) => ({
          hold_id: h.hold_id,
          code: h.code,
          reason: h.reason,
        })),
      });

    const sameCode = [
      ...enrolledNow.map((e) => e.section),
      ...req.adds.slice(0, i), // the first add of a course code in a request is the one kept
    ].filter((s) => s.course_code === add.course_code && s.course_id !== add.course_id);
    if (sameCode.length > 0)
      add_('DUPLICATE_COURSE', `already enrolled in a section of ${add.course_code}`, {
        section: sameCode[0].course_id,
      });

    const earlier = new Set(
      kept
        .filter(
          (e) => e.status === 'enrolled' && compareTerms(e.section.semester_id, req.termId) < 0,
        )
        .map((e) => e.section.course_code),
    );
    const completed = new Set(req.student.completed_courses);
    const missingPre = add.prerequisites.filter((c) => !completed.has(c) && !earlier.has(c));
    if (missingPre.length > 0)
      add_('PREREQUISITE_MISSING', `missing prerequisite(s) ${missingPre.join(', ')}`, {
        missing: missingPre,
      });

    const withThisTerm = new Set([
      ...enrolledNow.map((e) => e.section.course_code),
      ...otherAdds.map((s) => s.course_code),
    ]);
    const missingCo = add.corequisites.filter((c) => !withThisTerm.has(c));
    if (missingCo.length > 0)
      add_('COREQUISITE_MISSING', `missing corequisite(s) ${missingCo.join(', ')}`, {
        missing: missingCo,
      });

    const conflicts = [...enrolledNow.map((e) => e.section), ...otherAdds]
      .filter((s) => s.course_id !== add.course_id && meetingsOverlap(add.meetings, s.meetings))
      .map((s) => s.course_id);
    if (conflicts.length > 0)
      add_('TIME_CONFLICT', `meets at the same time as ${conflicts.join(', ')}`, {
        conflicts_with: conflicts,
      });

    if (attempted > limit)
      add_('CREDIT_LIMIT', `${attempted} credits would exceed the limit of ${limit}`, {
        limit,
        attempted,
      });

    if (!req.waitlist) {
      // A seat held for the waitlist is not free for a plain add (DESIGN §9).
      const full =
        add.enrolled_count >= add.capacity || (add.waitlist_count > 0 && !add.waitlist_open);
      if (full) {
        const waitlistAvailable = add.waitlist_count < add.waitlist_capacity;
        add_('COURSE_FULL', `${add.course_id} has no seat available`, {
          waitlist_available: waitlistAvailable,
          waitlist_count: add.waitlist_count,
        });
      }
    }

    violations.push(...found); // checked in VIOLATION_CODES order
  });
  return violations;
}
