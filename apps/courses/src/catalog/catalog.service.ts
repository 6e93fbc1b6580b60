import { Injectable } from '@nestjs/common';
import { BadRequestError, ForbiddenError } from '@app/common';
import { AuthUser } from '@app/auth';
import { Course, courseNotFound, CoursePatch, CourseSummary, CoursesRepository, Page } from '@app/data';
import { CreateCourseDto, UpdateCourseDto } from './dto/course.dto';
import { InstructorCoursesQuery, ListCoursesQuery } from './dto/list-courses.query';

export type CourseDetail = Course & { seats_available: number };

@Injectable()
export class CatalogService {
  constructor(private readonly courses: CoursesRepository) {}

  list(q: ListCoursesQuery): Promise<Page<CourseSummary>> {
    return this.courses.listBySemester({
      semesterId: q.semester_id,
      departmentId: q.department_id,
      limit: q.limit,
      cursor: q.cursor,
    });
  }

  listByInstructor(instructorId: string, q: InstructorCoursesQuery): Promise<Page<CourseSummary>> {
    return this.courses.listByInstructor({ instructorId, semesterId: q.semester_id, limit: q.limit, cursor: q.cursor });
  }

  async detail(courseId: string): Promise<CourseDetail> {
    const course = await this.courses.get(courseId);
    if (!course) throw courseNotFound(courseId);
    return { ...course, seats_available: Math.max(0, course.capacity - course.enrolled_count) };
  }

  create(dto: CreateCourseDto): Promise<Course> {
    return this.courses.create(dto);
  }

  /** Admins may change anything editable; a course's own instructor may edit it but not hand it over. */
  update(courseId: string, dto: UpdateCourseDto, user: AuthUser): Promise<Course> {
    const patch: CoursePatch = dto;
    if (Object.keys(patch).length === 0) {
      throw new BadRequestError('EMPTY_UPDATE', 'send at least one of: title, description, capacity, credits, instructor_id');
    }
    if (user.role === 'admin') return this.courses.update(courseId, patch);
    if (patch.instructor_id !== undefined && patch.instructor_id !== user.sub) {
      throw new ForbiddenError('FORBIDDEN_FIELD', 'only an admin may reassign a course to another instructor');
    }
    return this.courses.update(courseId, patch, { onlyIfInstructor: user.sub });
  }

  async remove(courseId: string): Promise<Course> {
    const course = await this.courses.get(courseId);
    if (!course) throw courseNotFound(courseId);
    await this.courses.delete(courseId);
    return course;
  }
}
