import { Injectable } from '@nestjs/common';
import { AuthUser } from '@app/auth';
import { ForbiddenError, NotFoundError, PageQuery } from '@app/common';
import { CoursesRepository, Enrollment, EnrollmentsRepository, Page } from '@app/data';

export type Roster = Page<Omit<Enrollment, 'semester_enrolled'>> & { total: number };

@Injectable()
export class RosterService {
  constructor(
    private readonly courses: CoursesRepository,
    private readonly enrollments: EnrollmentsRepository,
  ) {}

  /** The course's own instructor or an admin; `total` is the course's seat counter, kept in the same transactions. */
  async roster(user: AuthUser, courseId: string, q: PageQuery): Promise<Roster> {
    const course = await this.courses.get(courseId);
    if (!course) throw new NotFoundError('COURSE_NOT_FOUND', `course ${courseId} does not exist`);
    if (user.role !== 'admin' && course.instructor_id !== user.sub) {
      throw new ForbiddenError('NOT_COURSE_INSTRUCTOR', 'only the course\'s instructor or an admin may see its roster');
    }
    const page = await this.enrollments.listByCourse(courseId, { limit: q.limit, cursor: q.cursor });
    return {
      items: page.items.map(({ semester_enrolled: _, ...e }) => e),
      next_cursor: page.next_cursor,
      total: course.enrolled_count,
    };
  }
}
