import { Injectable } from '@nestjs/common';
import { PageQuery } from '@app/common';
import {
  CourseNotFound,
  CoursesRepository,
  Enrollment,
  EnrollmentsRepository,
  Page,
} from '@app/data';

export type Roster = Page<Enrollment> & { total: number };

@Injectable()
export class RosterService {
  constructor(
    private readonly courses: CoursesRepository,
    private readonly enrollments: EnrollmentsRepository,
  ) {}

  /** `total` is the course's seat counter, kept in the same transactions (who may read it: the controller's guard). */
  async roster(courseId: string, q: PageQuery): Promise<Roster> {
    const course = await this.courses.get(courseId);
    if (!course) throw new CourseNotFound(courseId);
    const page = await this.enrollments.listByCourse(courseId, {
      limit: q.limit,
      cursor: q.cursor,
    });
    return {
      items: page.items,
      next_cursor: page.next_cursor,
      total: course.enrolled_count,
    };
  }
}
