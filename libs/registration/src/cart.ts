import { checkEligibility, Violation } from './eligibility';
import type { Permit, SectionFacts, StudentFacts, TermCalendar } from './registration.types';
import { dropOutcome } from './terms';
import { joinOutcome, seatOpenForAdd } from './waitlist';

/** The most adds, and the most drops, one cart may hold (DESIGN §8). */
export const CART_MAX_ITEMS = 10;

export type CartAction = 'add' | 'drop';

/** A cart's own problems, before anything is read: each is a 400. */
export function cartProblems(add: readonly string[], drop: readonly string[]): string | undefined {
  if (add.length > CART_MAX_ITEMS || drop.length > CART_MAX_ITEMS) return 'CART_TOO_LARGE';
  if (add.some((id) => drop.includes(id))) return 'CART_ADD_AND_DROP';
  return undefined;
}

/** A violation of a cart line: a rule's, or the cart's own (unknown course, not held, held). */
export type CartViolation =
  | Violation
  | {
      code:
        | 'COURSE_NOT_FOUND'
        | 'NOT_ENROLLED'
        | 'ALREADY_ENROLLED'
        | 'ALREADY_WITHDRAWN'
        | 'ALREADY_WAITLISTED'
        | 'WAITLIST_FULL'
        | 'WITHDRAW_DEADLINE_PASSED';
      course_id: string;
      message: string;
      [detail: string]: unknown;
    };

export interface CartLine {
  course_id: string;
  action: CartAction;
  ok: boolean;
  violations: CartViolation[];
  /** With `waitlist: true`: this add finds no seat and would join the section's waitlist. */
  waitlisted?: true;
}

export interface CartSnapshot {
  student: StudentFacts;
  /** Every section the student holds a seat in (any term), by the rows read. */
  held: readonly SectionFacts[];
  /** Sections whose waitlist the student is on (DESIGN §9); none when absent. */
  waitlisted?: readonly SectionFacts[];
  /** Sections the student withdrew from (a W): neither added again nor dropped. */
  withdrawn: ReadonlySet<string>;
  /** The student's permits (the rules skip expired ones). */
  permits: readonly Permit[];
  /** The requested adds' sections that exist, by course_id. */
  sections: ReadonlyMap<string, SectionFacts>;
  /**
   * The calendar of each term the adds and the held drops belong to (null: no term item, always
   * open; a term missing here reads as null).
   */
  terms: ReadonlyMap<string, TermCalendar | null>;
  defaultMaxCredits: number;
  now: Date;
}

/** A cart's options: `waitlist` turns an add on a full section into a join of its waitlist. */
export interface CartOptions {
  waitlist?: boolean;
}

/** A live CAPACITY permit of the student for the section (the seat may go past capacity). */
const hasCapacityPermit = (snap: CartSnapshot, courseId: string): boolean =>
  snap.permits.some(
    (p) =>
      p.course_id === courseId &&
      p.type === 'CAPACITY' &&
      (p.expires_at === undefined || Date.parse(p.expires_at) > snap.now.getTime()),
  );

/**
 * Whether an accepted add of the cart joins the waitlist instead of taking a seat: `waitlist` set,
 * no seat a plain add could take, and no CAPACITY permit (as the one-course join decides).
 */
export const addJoinsWaitlist = (
  snap: CartSnapshot,
  section: SectionFacts,
  opts: CartOptions,
): boolean =>
  opts.waitlist === true && !seatOpenForAdd(section) && !hasCapacityPermit(snap, section.course_id);

/**
 * Every line of a cart with its violations: pure. Adds are checked per term with checkEligibility
 * (the drops of the cart already removed from the schedule, so a swap frees its credits and times).
 * With `waitlist`, a full section's COURSE_FULL becomes a join (the line `waitlisted`, every other
 * rule checked as for an add, the credit limit included), WAITLIST_FULL when its list is full, and
 * stays COURSE_FULL when it has no waitlist.
 */
export function checkCart(
  snap: CartSnapshot,
  add: readonly string[],
  drop: readonly string[],
  opts: CartOptions = {},
): CartLine[] {
  const heldIds = new Set(snap.held.map((s) => s.course_id));
  const waitingIds = new Set((snap.waitlisted ?? []).map((s) => s.course_id));
  const addViolations = new Map<string, CartViolation[]>(add.map((id) => [id, []]));
  const checkable: SectionFacts[] = [];
  for (const id of add) {
    const section = snap.sections.get(id);
    if (!section)
      addViolations
        .get(id)!
        .push({ code: 'COURSE_NOT_FOUND', course_id: id, message: `course ${id} does not exist` });
    else if (snap.withdrawn.has(id))
      addViolations.get(id)!.push({
        code: 'ALREADY_WITHDRAWN',
        course_id: id,
        message: `you withdrew from ${id}; it cannot be added again this term`,
      });
    else if (heldIds.has(id))
      addViolations.get(id)!.push({
        code: 'ALREADY_ENROLLED',
        course_id: id,
        message: `you are already enrolled in ${id}`,
      });
    else if (waitingIds.has(id))
      addViolations.get(id)!.push({
        code: 'ALREADY_WAITLISTED',
        course_id: id,
        message: `you are already on the waitlist of ${id}`,
      });
    else checkable.push(section);
  }
  const termIds = [...new Set(checkable.map((s) => s.semester_id))];
  for (const termId of termIds) {
    const found = checkEligibility({
      student: snap.student,
      termId,
      term: snap.terms.get(termId) ?? null,
      defaultMaxCredits: snap.defaultMaxCredits,
      schedule: snap.held.map((section) => ({ status: 'enrolled' as const, section })),
      adds: checkable.filter((s) => s.semester_id === termId),
      drops: drop.filter((id) => heldIds.has(id)),
      permits: snap.permits,
      now: snap.now,
    });
    for (const v of found) addViolations.get(v.course_id)!.push(seatViolation(v, snap, opts));
  }
  const joins = new Set(
    checkable.filter((s) => addJoinsWaitlist(snap, s, opts)).map((s) => s.course_id),
  );
  const lines: CartLine[] = add.map((id) => {
    const violations = addViolations.get(id)!.filter((v) => v !== JOINS);
    const ok = violations.length === 0;
    return {
      course_id: id,
      action: 'add',
      ok,
      violations,
      ...(ok && joins.has(id) ? { waitlisted: true as const } : {}),
    };
  });
  const heldById = new Map(snap.held.map((s) => [s.course_id, s]));
  for (const id of drop) {
    const held = heldById.get(id);
    const term = held ? (snap.terms.get(held.semester_id) ?? null) : null;
    const violations: CartViolation[] = held
      ? dropOutcome(term, snap.now) === 'too-late'
        ? [
            {
              code: 'WITHDRAW_DEADLINE_PASSED',
              course_id: id,
              message: `the withdrawal deadline for ${id} was ${term!.withdraw_deadline}`,
              withdraw_deadline: term!.withdraw_deadline,
            },
          ]
        : []
      : snap.withdrawn.has(id)
        ? [{ code: 'ALREADY_WITHDRAWN', course_id: id, message: `you withdrew from ${id}` }]
        : [{ code: 'NOT_ENROLLED', course_id: id, message: `you are not enrolled in ${id}` }];
    lines.push({ course_id: id, action: 'drop', ok: violations.length === 0, violations });
  }
  return lines;
}

// Marks a COURSE_FULL that a join replaces (filtered out of the line).
const JOINS: CartViolation = { code: 'COURSE_FULL', course_id: '', message: '' };

/** A rule's violation as a cart with `waitlist` reports it: a full section's seat is a join. */
function seatViolation(v: Violation, snap: CartSnapshot, opts: CartOptions): CartViolation {
  if (v.code !== 'COURSE_FULL' || !opts.waitlist) return v;
  const section = snap.sections.get(v.course_id)!;
  const outcome = joinOutcome(section);
  if (outcome === 'join') return JOINS;
  if (outcome === 'waitlist-full')
    return {
      code: 'WAITLIST_FULL',
      course_id: v.course_id,
      message: `the waitlist of ${v.course_id} is full`,
      waitlist_capacity: section.waitlist_capacity,
    };
  return v;
}

/**
 * What a refused submit answers: every line's violations in cart order, a seat's (COURSE_FULL)
 * after every other, so the first one (the error's code) is COURSE_FULL, and the answer the 409
 * with `waitlist_available` of the one-course enroll, only when seats are all that is missing.
 * Empty: the cart may be submitted.
 */
export function cartRejection(lines: readonly CartLine[]): CartViolation[] {
  return rejectionOrder(lines.flatMap((l) => l.violations));
}

const SEAT_CODES = new Set(['COURSE_FULL', 'WAITLIST_FULL']);

/**
 * Violations in the order a refusal lists them: as given, the seats' (COURSE_FULL, WAITLIST_FULL)
 * after every other.
 */
export function rejectionOrder(all: readonly CartViolation[]): CartViolation[] {
  return [
    ...all.filter((v) => !SEAT_CODES.has(v.code)),
    ...all.filter((v) => SEAT_CODES.has(v.code)),
  ];
}

/** What an accepted cart writes, derived from the snapshot it was checked on. */
export interface CartPlan {
  /**
   * `over_capacity`: a live CAPACITY permit lets the seat go past capacity (as a one-course add);
   * `waitlist`: the add joins the section's waitlist (no seat, no credits); `waitlisted_elsewhere`:
   * an enrolling add's other sections of the course whose waitlists the student leaves (DESIGN §9).
   */
  adds: {
    course_id: string;
    semester_id: string;
    over_capacity: boolean;
    waitlist: boolean;
    waitlisted_elsewhere: string[];
  }[];
  /**
   * `withdraw` after the term's drop deadline (a W, no credits), as the one-course DELETE;
   * `has_waitlist`: the section keeps a waitlist, so the seat freed cues its promotion walk.
   */
  drops: {
    course_id: string;
    semester_id: string;
    outcome: 'drop' | 'withdraw';
    has_waitlist: boolean;
  }[];
  /** Every term the cart touches, with the student's enrolled credits there once it is applied. */
  terms: { term_id: string; credits: number }[];
}

/** The writes of a cart checkCart accepted (no violation): pure. */
export function cartPlan(
  snap: CartSnapshot,
  add: readonly string[],
  drop: readonly string[],
  opts: CartOptions = {},
): CartPlan {
  const held = new Map(snap.held.map((s) => [s.course_id, s]));
  const adds = add.map((id) => {
    const s = snap.sections.get(id)!;
    const waitlist = addJoinsWaitlist(snap, s, opts);
    const waitlisted_elsewhere = waitlist
      ? []
      : (snap.waitlisted ?? [])
          .filter(
            (w) =>
              w.course_code === s.course_code &&
              w.semester_id === s.semester_id &&
              w.course_id !== id,
          )
          .map((w) => w.course_id);
    return {
      course_id: id,
      semester_id: s.semester_id,
      over_capacity: hasCapacityPermit(snap, id),
      waitlist,
      waitlisted_elsewhere,
    };
  });
  const joining = new Set(adds.filter((a) => a.waitlist).map((a) => a.course_id));
  const drops = drop.map((id) => {
    const s = held.get(id)!;
    const outcome = dropOutcome(snap.terms.get(s.semester_id) ?? null, snap.now);
    return {
      course_id: id,
      semester_id: s.semester_id,
      outcome: outcome === 'drop' ? ('drop' as const) : ('withdraw' as const),
      has_waitlist: s.waitlist_capacity > 0,
    };
  });
  const termIds = [...new Set([...adds, ...drops].map((l) => l.semester_id))];
  const dropped = new Set(drop);
  const terms = termIds.map((term_id) => ({
    term_id,
    credits:
      snap.held
        .filter((s) => s.semester_id === term_id && !dropped.has(s.course_id))
        .reduce((sum, s) => sum + s.credits, 0) +
      add
        .filter((id) => !joining.has(id)) // a waitlisted line holds no credits
        .map((id) => snap.sections.get(id)!)
        .filter((s) => s.semester_id === term_id)
        .reduce((sum, s) => sum + s.credits, 0),
  }));
  return { adds, drops, terms };
}
