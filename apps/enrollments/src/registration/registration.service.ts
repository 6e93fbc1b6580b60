import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@app/auth';
import {
  Course,
  COURSE_BATCH_READER,
  CourseSummary,
  Enrollment,
  EnrollmentsRepository,
  Page,
} from '@app/data';
import type { CourseBatchReader } from '@app/data';
import { EMAIL_DISPATCH } from '@app/messaging';
import type { EmailDispatch } from '@app/messaging';
import { MyEnrollmentsQuery } from './dto/enroll.dto';
import { EligibilityLoader } from './eligibility.loader';

/** What each row of "my enrollments" shows of its course: the catalog fields but the seat count. */
export type CourseCard = Omit<CourseSummary, 'capacity'>;
export type MyEnrollment = Enrollment & { course: CourseCard | null };

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
  ) {}

  /**
   * Checks the registration rules on a snapshot (the transaction re-checks the seat), commits the
   * enrollment, then hands its email on (queued: the request does not wait for it).
   */
  async enroll(
    user: AuthUser,
    courseId: string,
    idempotencyKey?: string,
  ): Promise<{ status: number; body: unknown; replayed: boolean }> {
    const { semesterId, overCapacity } = await this.eligibility.assertMayAdd(user.sub, courseId);
    const result = await this.enrollments.enroll({
      userId: user.sub,
      courseId,
      semesterId,
      overCapacity,
      email: user.email,
      idempotencyKey,
    });
    if (result.replayed) return { status: result.status, body: result.body, replayed: true };
    await this.email.dispatch(result.event);
    return { status: 201, body: result.enrollment, replayed: false };
  }

  async drop(user: AuthUser, courseId: string): Promise<void> {
    const event = await this.enrollments.drop({ userId: user.sub, courseId, email: user.email });
    await this.email.dispatch(event);
  }

  /** One consistent Query of the student's rows and one BatchGet of the courses: no read per enrollment. */
  async mine(user: AuthUser, q: MyEnrollmentsQuery): Promise<Page<MyEnrollment>> {
    const page = await this.enrollments.listByUser(user.sub, {
      semesterId: q.semester_id,
      limit: q.limit,
      cursor: q.cursor,
    });
    const found = await this.courses.getMany(page.items.map((e) => e.course_id));
    const courses = new Map(found.map((c) => [c.course_id, card(c)]));
    return {
      items: page.items.map((e) => ({
        ...e,
        course: courses.get(e.course_id) ?? null,
      })),
      next_cursor: page.next_cursor,
    };
  }
}
