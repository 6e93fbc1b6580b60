import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@app/auth';
import { Clock, counter } from '@app/common';
import { dropOutcome } from '@app/registration';
import {
  AlreadyWithdrawn,
  NotEnrolled,
  WithdrawDeadlinePassed,
  Course,
  COURSE_BATCH_READER,
  CourseSummary,
  Enrollment,
  EnrollmentsRepository,
  Page,
  ScheduleChanged,
} from '@app/data';
import type { CourseBatchReader } from '@app/data';
import { EMAIL_DISPATCH } from '@app/messaging';
import type { EmailDispatch } from '@app/messaging';
import { MyEnrollmentsQuery } from './dto/enroll.dto';
import { WaitlistService } from '../waitlist/waitlist.service';
import { ConcurrentUpdate, SUBMIT_ATTEMPTS } from './cart.service';
import { EligibilityLoader } from './eligibility.loader';
import { RejectionLog } from './rejection-log';
import { TermCalendars } from './term-calendars';

const scheduleConflicts = counter(
  'registration_enroll_schedule_conflicts_total',
  "One-course enrolls cancelled because the student's schedule changed since their snapshot, by what followed",
  ['then'],
);

/** What each row of "my enrollments" shows of its course: the catalog fields but the seat count. */
export type CourseCard = Omit<CourseSummary, 'capacity'>;
export type MyEnrollment = Enrollment & { position?: number; course: CourseCard | null };

const card = (c: Course): CourseCard => ({
  course_id: c.course_id,
  course_code: c.course_code,
  title: c.title,
  semester_id: c.semester_id,
  department_id: c.department_id,
  instructor_id: c.instructor_id,
  credits: c.credits,
});

@Injectable()
export class RegistrationService {
  constructor(
    private readonly enrollments: EnrollmentsRepository,
    @Inject(COURSE_BATCH_READER) private readonly courses: CourseBatchReader,
    @Inject(EMAIL_DISPATCH) private readonly email: EmailDispatch,
    private readonly eligibility: EligibilityLoader,
    private readonly terms: TermCalendars,
    private readonly clock: Clock,
    private readonly rejections: RejectionLog,
    private readonly waitlists: WaitlistService,
  ) {}

  /**
   * Checks the registration rules on a snapshot (the transaction re-checks the seat), commits the
   * enrollment, then hands its email on (queued: the request does not wait for it).
   */
  async enroll(
    user: AuthUser,
    courseId: string,
    idempotencyKey?: string,
    waitlist = false,
  ): Promise<{ status: number; body: unknown; replayed: boolean }> {
    let semesterId: string | undefined;
    let result: Awaited<ReturnType<EnrollmentsRepository['enroll']>> | undefined;
    try {
      // The rules are checked on a snapshot; the write requires the schedule version it read, so
      // a concurrent enroll or cart of the student makes this one re-validate (DESIGN §8).
      for (let attempt = 1; !result; attempt++) {
        const found = await this.eligibility.assertMayAdd(user.sub, courseId, { waitlist });
        semesterId = found.semesterId;
        if (waitlist && !found.overCapacity) {
          const joined = await this.waitlists.joinOrEnroll(user, found, idempotencyKey);
          if (joined) return joined;
        }
        try {
          result = await this.enrollments.enroll({
            userId: user.sub,
            courseId,
            actor: user.sub,
            semesterId,
            overCapacity: found.overCapacity,
            credits: found.credits,
            email: user.email,
            idempotencyKey,
            waitlistedElsewhere: found.waitlistedElsewhere,
            schedule: found.schedule,
          });
        } catch (err) {
          if (!(err instanceof ScheduleChanged)) throw err;
          const giveUp = attempt >= SUBMIT_ATTEMPTS;
          scheduleConflicts.inc({ then: giveUp ? 'gave_up' : 'revalidated' });
          if (giveUp) throw new ConcurrentUpdate();
          await new Promise((r) => setTimeout(r, Math.random() * 25 * attempt));
        }
      }
    } catch (err) {
      await this.rejections.record(user, [courseId], err, semesterId);
      throw err;
    }
    if (result.replayed) return { status: result.status, body: result.body, replayed: true };
    await this.email.dispatch(result.event);
    return { status: 201, body: result.enrollment, replayed: false };
  }

  /**
   * Removes an enrollment as the term's calendar says at this moment (dropOutcome): up to the drop
   * deadline the row goes (undefined: 204); then, up to the withdrawal deadline, it becomes a W
   * (the row: 200); later WITHDRAW_DEADLINE_PASSED. A semester without a term is always a drop.
   */
  async drop(user: AuthUser, courseId: string): Promise<Enrollment | undefined> {
    const row = await this.enrollments.get(user.sub, courseId);
    if (!row) throw new NotEnrolled(courseId);
    if (row.status === 'withdrawn') throw new AlreadyWithdrawn(courseId);
    if (row.status === 'waitlisted') return this.waitlists.leave(user, row);
    if (row.status === 'offered') return this.waitlists.decline(user, row);
    // The course's credits leave the student's schedule item (read beside the term: no extra wait).
    const [term, [course]] = await Promise.all([
      this.terms.get(row.semester_id),
      this.courses.getMany([courseId]),
    ]);
    const credits = course?.credits ?? 0;
    const now = this.clock.now();
    const outcome = dropOutcome(term ?? null, now);
    if (outcome === 'too-late') throw new WithdrawDeadlinePassed(courseId, term!.withdraw_deadline);
    if (outcome === 'drop') {
      const event = await this.enrollments.drop({
        row,
        email: user.email,
        credits,
        actor: user.sub,
      });
      await this.email.dispatch(event);
      return undefined;
    }
    const { enrollment, event } = await this.enrollments.withdraw({
      row,
      email: user.email,
      at: now,
      credits,
      actor: user.sub,
    });
    await this.email.dispatch(event);
    return enrollment;
  }

  /** One consistent Query of the student's rows and one BatchGet of the courses: no read per enrollment. */
  async mine(user: AuthUser, q: MyEnrollmentsQuery): Promise<Page<MyEnrollment>> {
    const page = await this.enrollments.listByUser(user.sub, {
      semesterId: q.semester_id,
      limit: q.limit,
      cursor: q.cursor,
    });
    const [found, positions] = await Promise.all([
      this.courses.getMany(page.items.map((e) => e.course_id)),
      this.waitlists.positionsFor(user.sub, page.items),
    ]);
    const courses = new Map(found.map((c) => [c.course_id, card(c)]));
    return {
      items: page.items.map((e) => ({
        ...e,
        ...(positions.has(e.course_id) ? { position: positions.get(e.course_id) } : {}),
        course: courses.get(e.course_id) ?? null,
      })),
      next_cursor: page.next_cursor,
    };
  }
}
