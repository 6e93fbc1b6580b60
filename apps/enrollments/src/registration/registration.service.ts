import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuthUser } from '@app/auth';
import { BenchConfig } from '@app/common';
import { Course, CoursesRepository, Enrollment, EnrollmentsRepository, OutboxEvent, Page } from '@app/data';
import { EmailProducer, EmailSender, toEmailJob } from '@app/messaging';
import { MyEnrollmentsQuery } from './dto/enroll.dto';

export type CourseCard = Pick<
  Course,
  'course_id' | 'course_code' | 'title' | 'semester_id' | 'department_id' | 'instructor_id' | 'credits'
>;
export type MyEnrollment = Omit<Enrollment, 'semester_enrolled'> & { course: CourseCard | null };

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
  private readonly bench: BenchConfig;

  constructor(
    private readonly enrollments: EnrollmentsRepository,
    private readonly courses: CoursesRepository,
    private readonly producer: EmailProducer,
    private readonly sender: EmailSender,
    config: ConfigService,
  ) {
    this.bench = config.getOrThrow<BenchConfig>('bench');
  }

  /** Commits the enrollment, then hands its email on (see `dispatch`). */
  async enroll(user: AuthUser, courseId: string, idempotencyKey?: string): Promise<{ status: number; body: unknown; replayed: boolean }> {
    const result = await this.enrollments.enroll({ userId: user.sub, courseId, email: user.email, idempotencyKey });
    if (result.replayed) return { status: result.status, body: result.body, replayed: true };
    await this.dispatch(result.event);
    return { status: 201, body: result.enrollment, replayed: false };
  }

  async drop(user: AuthUser, courseId: string): Promise<void> {
    const event = await this.enrollments.drop({ userId: user.sub, courseId, email: user.email });
    await this.dispatch(event);
  }

  /** One GSI query and one BatchGet of the courses: no read per enrollment. */
  async mine(user: AuthUser, q: MyEnrollmentsQuery): Promise<Page<MyEnrollment>> {
    const page = await this.enrollments.listByUser(user.sub, { semesterId: q.semester_id, limit: q.limit, cursor: q.cursor });
    const ids = page.items.map((e) => e.course_id);
    const found =
      this.bench.myEnrollmentsStrategy === 'n_plus_one'
        ? await this.getOneByOne(ids) // benchmark baseline only: one GetItem per enrollment
        : await this.courses.getMany(ids);
    const courses = new Map(found.map((c) => [c.course_id, card(c)]));
    return {
      items: page.items.map(({ semester_enrolled: _, ...e }) => ({ ...e, course: courses.get(e.course_id) ?? null })),
      next_cursor: page.next_cursor,
    };
  }

  /**
   * Queued (the product): the job is handed to BullMQ without waiting; a failed enqueue leaves the
   * event pending for the outbox relay. Inline (benchmark baseline only): the request sends the email.
   */
  private async dispatch(event: OutboxEvent): Promise<void> {
    if (this.bench.emailMode === 'inline') {
      await this.sender.send(toEmailJob(event));
      return;
    }
    void this.producer.enqueue(event);
  }

  private async getOneByOne(ids: string[]): Promise<Course[]> {
    const courses: Course[] = [];
    for (const id of ids) {
      const c = await this.courses.get(id);
      if (c) courses.push(c);
    }
    return courses;
  }
}
