import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@app/auth';
import { Clock, PageQuery } from '@app/common';
import {
  CourseFull,
  CourseNotFound,
  CoursesRepository,
  Enrollment,
  EnrollmentsRepository,
  NoOffer,
  OfferExpired,
  Page,
  WaitlistedEnrollment,
  WaitlistFull,
  WaitlistRepository,
} from '@app/data';
import { EMAIL_DISPATCH } from '@app/messaging';
import type { EmailDispatch } from '@app/messaging';
import { joinOutcome } from '@app/registration';
import { EligibilityLoader, RegistrationRejected } from '../registration/eligibility.loader';
import type { AddFacts } from '../registration/eligibility.loader';

type Answer = { status: number; body: unknown; replayed: boolean };

/** The request side of the waitlists (DESIGN §9): join, leave, positions, the section's list. */
@Injectable()
export class WaitlistService {
  constructor(
    private readonly waitlists: WaitlistRepository,
    private readonly courses: CoursesRepository,
    private readonly enrollments: EnrollmentsRepository,
    private readonly eligibility: EligibilityLoader,
    private readonly clock: Clock,
    @Inject(EMAIL_DISPATCH) private readonly email: EmailDispatch,
  ) {}

  /**
   * An add with `waitlist: true` the rules allowed (checked as a join): undefined when a seat is
   * open to a plain add (the caller enrolls), else the join's answer (201 `waitlisted`, position),
   * or COURSE_FULL without a waitlist, WAITLIST_FULL when the list is full.
   */
  async joinOrEnroll(
    user: AuthUser,
    facts: AddFacts,
    idempotencyKey?: string,
  ): Promise<Answer | undefined> {
    const { section } = facts;
    // A row for the section already (enrolled, waitlisted, a W): the join's write names it.
    const outcome = facts.existing ? 'join' : joinOutcome(section);
    if (outcome === 'enroll') return undefined;
    if (outcome === 'no-waitlist')
      throw new CourseFull(section.course_id, {
        waitlist_available: false,
        waitlist_count: section.waitlist_count,
      });
    if (outcome === 'waitlist-full')
      throw new WaitlistFull(section.course_id, section.waitlist_capacity);
    const result = await this.waitlists.join({
      userId: user.sub,
      courseId: section.course_id,
      semesterId: facts.semesterId,
      email: user.email,
      idempotencyKey,
    });
    if (result.replayed) {
      return { status: result.status, body: await this.withPosition(result.body), replayed: true };
    }
    // The email (with the position) and the promotion walk's cue: a seat may be free for the list.
    await this.email.dispatch(result.event);
    return { status: 201, body: result.enrollment, replayed: false };
  }

  /** DELETE of a waitlisted row: it leaves the list (204, no email); the list moves on. */
  async leave(user: AuthUser, row: Enrollment): Promise<undefined> {
    const event = await this.waitlists.leave({
      userId: user.sub,
      courseId: row.course_id,
      semesterId: row.semester_id,
    });
    await this.email.dispatch(event); // silent: queues the promotion walk only
    return undefined;
  }

  /**
   * Accepts an offered seat (offer mode): re-checked as for a join, then enrolled in one
   * transaction conditioned on the offer still being open. 200 with the row.
   */
  async accept(user: AuthUser, courseId: string): Promise<Enrollment> {
    const row = await this.enrollments.get(user.sub, courseId);
    if (row?.status !== 'offered') throw new NoOffer(courseId);
    const now = this.clock.now();
    const expires = row.offer_expires_at!;
    if (Date.parse(expires) <= now.getTime()) throw new OfferExpired(courseId, expires);
    const section = await this.courses.get(courseId);
    if (!section) throw new CourseNotFound(courseId);
    const { violations, waitlistedElsewhere } = await this.eligibility.checkPromotion(
      user.sub,
      section,
    );
    if (violations.length > 0) throw new RegistrationRejected(violations, section.semester_id);
    const done = await this.waitlists.acceptOffer({
      row,
      credits: section.credits,
      email: user.email,
      at: now,
      waitlistedElsewhere,
    });
    if (!done) throw new OfferExpired(courseId, expires);
    await this.email.dispatch(done.event);
    return done.enrollment;
  }

  /** DELETE of an offered row: declined (204); the held seat goes to the next student waiting. */
  async decline(user: AuthUser, row: Enrollment): Promise<undefined> {
    const event = await this.waitlists.endOffer({
      userId: user.sub,
      courseId: row.course_id,
      semesterId: row.semester_id,
      actor: user.sub,
    });
    if (!event) throw new NoOffer(row.course_id);
    await this.email.dispatch(event); // silent: queues the walk only
    return undefined;
  }

  /** The positions of the waitlisted rows among `rows` (no reads when there are none). */
  positionsFor(userId: string, rows: readonly Enrollment[]): Promise<Map<string, number>> {
    if (!rows.some((r) => r.status === 'waitlisted')) return Promise.resolve(new Map());
    return this.waitlists.positionsOf(userId);
  }

  /** A section's waitlist in order (who may read it: the controller's guard). */
  async list(courseId: string, q: PageQuery): Promise<Page<WaitlistedEnrollment>> {
    const course = await this.courses.get(courseId);
    if (!course) throw new CourseNotFound(courseId);
    return this.waitlists.listByCourse(courseId, { limit: q.limit, cursor: q.cursor });
  }

  /** A replayed join shows the row's position now (the stored answer was written before it was known). */
  private async withPosition(body: unknown): Promise<unknown> {
    const row = body as Enrollment;
    if (row?.status !== 'waitlisted') return body;
    const positions = await this.waitlists.positionsOf(row.user_id);
    const position = positions.get(row.course_id);
    return position === undefined ? body : { ...row, position };
  }
}
