import { Inject, Injectable } from '@nestjs/common';
import { Clock, DomainError, registrationConfig } from '@app/common';
import type { RegistrationConfig } from '@app/common';
import {
  Course,
  CourseNotFound,
  CoursesRepository,
  EnrollmentsRepository,
  PermitsRepository,
  ScheduleVersion,
  SchedulesRepository,
  studentFacts,
  UsersRepository,
} from '@app/data';
import {
  CartLine,
  CartOptions,
  CartSnapshot,
  CartViolation,
  checkCart,
  checkEligibility,
  Violation,
} from '@app/registration';
import type { EnrollmentStatus } from '@app/registration';
import { TermCalendars } from './term-calendars';

/**
 * A request the rules refuse: the first violation's code, message and details (so a lone
 * COURSE_FULL reads as it always did, with `waitlist_available`), and every violation in `violations`.
 */
export class RegistrationRejected extends DomainError {
  constructor(
    readonly violations: CartViolation[],
    /** The section's term, for the rejection's history entry (not part of the answer). */
    readonly semesterId?: string,
  ) {
    const { code, message, ...details } = violations[0];
    super(code, message, { ...details, violations });
  }
}

/** What an add needs from its check: the section as read, and what the write also does. */
export interface AddFacts {
  semesterId: string;
  /** A live CAPACITY permit: the seat may be taken past capacity. */
  overCapacity: boolean;
  section: Course;
  /** The student's waitlist rows for other sections of the course, removed when they enroll. */
  waitlistedElsewhere: string[];
  /** The status of the row the student already holds for the section (the write names the error). */
  existing?: EnrollmentStatus;
  /** The section's credits, which the student's schedule item gains. */
  credits: number;
  /**
   * The student's schedule item of the section's term as read before the rows (undefined version:
   * none) and its credits with this section: the enroll's write requires that version.
   */
  schedule: { readVersion: number | undefined; credits: number };
}

/** A cart's snapshot, and the versions of the student's schedule items read before its rows. */
export interface CartLoad {
  snapshot: CartSnapshot;
  /** By term id; a term without an item has none. */
  versions: Map<string, ScheduleVersion>;
}

/**
 * Loads what the registration rules read for one student and checks an add against them. Reads
 * per check: the section (GetItem), the student (GetItem), their schedule items (one consistent
 * Query) and permits for the section (one Query) together; then their rows (one consistent Query)
 * and the term (the term-calendar cache; a GetItem when not cached); then the schedule's sections
 * (one BatchGet): six DynamoDB reads in three rounds, independent of schedule size.
 */
@Injectable()
export class EligibilityLoader {
  constructor(
    private readonly courses: CoursesRepository,
    private readonly terms: TermCalendars,
    private readonly users: UsersRepository,
    private readonly enrollments: EnrollmentsRepository,
    private readonly permits: PermitsRepository,
    private readonly schedules: SchedulesRepository,
    private readonly clock: Clock,
    @Inject(registrationConfig.KEY) private readonly config: RegistrationConfig,
  ) {}

  /**
   * Throws RegistrationRejected (422, or the existing 409 COURSE_FULL when capacity is the only
   * reason) unless the student may add the course now. A course the student already holds is left
   * to the write (ALREADY_ENROLLED, or the replay of an Idempotency-Key). Returns the section's
   * semester, which the write stores, so the write need not read the course again.
   */
  async assertMayAdd(
    userId: string,
    courseId: string,
    opts: { waitlist?: boolean } = {},
  ): Promise<AddFacts> {
    // The schedule versions before the rows (as a cart's): a write of the rows after this read has
    // bumped the version the enroll's transaction requires, so a snapshot missing it cannot commit.
    const [section, user, versions, permits] = await Promise.all([
      this.courses.get(courseId),
      this.users.get(userId),
      this.schedules.versionsOf(userId),
      this.permits.listForCourse(userId, courseId),
    ]);
    if (!section) throw new CourseNotFound(courseId);
    const [rows, term] = await Promise.all([
      this.enrollments.listAllByUser(userId),
      this.terms.get(section.semester_id),
    ]);
    const read = versions.get(section.semester_id);
    const now = this.clock.now();
    // A live CAPACITY permit also lets the write take a seat past capacity.
    const overCapacity = permits.some(
      (p) =>
        p.type === 'CAPACITY' &&
        (p.expires_at === undefined || Date.parse(p.expires_at) > now.getTime()),
    );
    const found: AddFacts = {
      semesterId: section.semester_id,
      overCapacity,
      section,
      waitlistedElsewhere: [],
      credits: section.credits,
      schedule: { readVersion: read?.version, credits: (read?.credits ?? 0) + section.credits },
    };
    const existing = rows.find((r) => r.course_id === courseId);
    if (existing) return { ...found, existing: existing.status };
    const held = await this.courses.getMany(rows.map((r) => r.course_id));
    // The repository's reads already give stored-before items the section fields' defaults.
    const byId = new Map(held.map((c) => [c.course_id, c]));
    const violations = checkEligibility({
      student: studentFacts(userId, user),
      termId: section.semester_id,
      term,
      defaultMaxCredits: this.config.defaultMaxCredits,
      schedule: rows.flatMap((r) => {
        const s = byId.get(r.course_id);
        return s ? [{ status: r.status, section: s }] : [];
      }),
      adds: [section],
      drops: [],
      permits, // the rules skip expired ones (expires_at < now)
      now,
      waitlist: opts.waitlist,
    });
    if (violations.length > 0) throw new RegistrationRejected(violations, section.semester_id);
    // Enrolling removes the student's waitlist rows for other sections of the course (DESIGN §9).
    found.waitlistedElsewhere = rows
      .filter(
        (r) =>
          r.status === 'waitlisted' &&
          r.semester_id === section.semester_id &&
          byId.get(r.course_id)?.course_code === section.course_code,
      )
      .map((r) => r.course_id);
    return found;
  }

  /**
   * Whether a waitlisted student may be promoted into `section` now (DESIGN §9): the rules of a
   * join, on a fresh snapshot, and no reads of the section itself (the walk holds it). An empty
   * list means eligible; the other sections of the course the student waits for come with it.
   */
  async checkPromotion(
    userId: string,
    section: Course,
  ): Promise<{ violations: Violation[]; waitlistedElsewhere: string[] }> {
    const [user, rows, permits, term] = await Promise.all([
      this.users.get(userId),
      this.enrollments.listAllByUser(userId),
      this.permits.listForCourse(userId, section.course_id),
      this.terms.get(section.semester_id),
    ]);
    const held = await this.courses.getMany(
      rows.filter((r) => r.course_id !== section.course_id).map((r) => r.course_id),
    );
    const byId = new Map(held.map((c) => [c.course_id, c]));
    const violations = checkEligibility({
      student: studentFacts(userId, user),
      termId: section.semester_id,
      term,
      defaultMaxCredits: this.config.defaultMaxCredits,
      schedule: rows.flatMap((r) => {
        const s = byId.get(r.course_id);
        return s ? [{ status: r.status, section: s }] : [];
      }),
      adds: [section],
      drops: [],
      permits,
      now: this.clock.now(),
      waitlist: true,
    });
    const waitlistedElsewhere = rows
      .filter(
        (r) =>
          r.status === 'waitlisted' &&
          byId.get(r.course_id)?.course_code === section.course_code &&
          r.semester_id === section.semester_id,
      )
      .map((r) => r.course_id);
    return { violations, waitlistedElsewhere };
  }

  /**
   * Every line of a cart checked on one snapshot, nothing written (validate; the submit checks the
   * same snapshot, see loadCart).
   */
  async checkCart(
    userId: string,
    add: string[],
    drop: string[],
    opts: CartOptions = {},
  ): Promise<CartLine[]> {
    return checkCart((await this.loadCart(userId, add, drop)).snapshot, add, drop, opts);
  }

  /**
   * What the rules read for a cart, on one snapshot. Reads: the student's schedule items (one
   * consistent Query, every term), record (GetItem) and permits (one Query) together; then their
   * rows (one consistent Query), after the schedule items, so any write of the rows since those
   * were read has bumped a version the submit's transaction requires; then one BatchGet of every
   * section held or requested; then one GetItem per term of the adds and drops (usually one): six
   * calls for a one-term cart, independent of its size.
   */
  async loadCart(userId: string, add: string[], drop: string[]): Promise<CartLoad> {
    const [versions, user, permits] = await Promise.all([
      this.schedules.versionsOf(userId),
      this.users.get(userId),
      this.permits.listByUser(userId),
    ]);
    const rows = await this.enrollments.listAllByUser(userId);
    const heldIds = new Set(rows.filter((r) => r.status === 'enrolled').map((r) => r.course_id));
    const withdrawn = new Set(rows.filter((r) => r.status === 'withdrawn').map((r) => r.course_id));
    // (An offered row is neither: adding it again fails the row's condition, ALREADY_WAITLISTED.)
    const waitingIds = new Set(
      rows.filter((r) => r.status === 'waitlisted').map((r) => r.course_id),
    );
    const sections = await this.courses.getMany([...rows.map((r) => r.course_id), ...add]);
    const byId = new Map(sections.map((c) => [c.course_id, c]));
    const termIds = [
      ...new Set(
        [...add, ...drop.filter((id) => heldIds.has(id))].flatMap((id) =>
          byId.has(id) ? [byId.get(id)!.semester_id] : [],
        ),
      ),
    ];
    const terms = await Promise.all(termIds.map((t) => this.terms.get(t)));
    return {
      versions,
      snapshot: {
        student: studentFacts(userId, user),
        held: sections.filter((c) => heldIds.has(c.course_id)),
        waitlisted: sections.filter((c) => waitingIds.has(c.course_id)),
        withdrawn,
        permits,
        sections: new Map(add.flatMap((id) => (byId.has(id) ? [[id, byId.get(id)!]] : []))),
        terms: new Map(termIds.map((t, i) => [t, terms[i]])),
        defaultMaxCredits: this.config.defaultMaxCredits,
        now: this.clock.now(),
      },
    };
  }
}
