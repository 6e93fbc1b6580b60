import { Injectable } from '@nestjs/common';
import { Course, CourseBatchReader, CoursesRepository } from '@app/data';

/** Baseline of "my enrollments": one GetItem per enrolled course (N+1) instead of one BatchGet. */
@Injectable()
export class OneByOneCourseReader implements CourseBatchReader {
  constructor(private readonly courses: CoursesRepository) {}

  async getMany(ids: string[]): Promise<Course[]> {
    const found: Course[] = [];
    for (const id of new Set(ids)) {
      const course = await this.courses.get(id);
      if (course) found.push(course);
    }
    return found;
  }
}
