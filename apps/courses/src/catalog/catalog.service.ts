import { Inject, Injectable } from '@nestjs/common';
import { AuthUser, NotCourseInstructor } from '@app/auth';
import {
  Course,
  COURSE_LIST_READER,
  CourseNotFound,
  InstructorChanged,
  CoursePatch,
  CourseSummary,
  CoursesRepository,
  NewCourse,
  Page,
  PATCHABLE_FIELDS,
} from '@app/data';
import { meetingProblems } from '@app/registration';
import { EmptyUpdate, validationFailed } from '@app/common';
import type { CourseListReader } from '@app/data';
import { ForbiddenReassignment } from './catalog.errors';
import { CreateCourseDto, UpdateCourseDto } from './dto/course.dto';
import { InstructorCoursesQuery, ListCoursesQuery } from './dto/list-courses.query';

export type CourseDetail = Course & { seats_available: number };

@Injectable()
export class CatalogService {
  constructor(
    private readonly courses: CoursesRepository,
    @Inject(COURSE_LIST_READER) private readonly lists: CourseListReader,
  ) {}

  list(q: ListCoursesQuery): Promise<Page<CourseSummary>> {
    return this.lists.listBySemester({
      semesterId: q.semester_id,
      departmentId: q.department_id,
      limit: q.limit,
      cursor: q.cursor,
    });
  }

  listByInstructor(instructorId: string, q: InstructorCoursesQuery): Promise<Page<CourseSummary>> {
    return this.lists.listByInstructor({
      instructorId,
      semesterId: q.semester_id,
      limit: q.limit,
      cursor: q.cursor,
    });
  }

  async detail(courseId: string): Promise<CourseDetail> {
    const course = await this.courses.get(courseId);
    if (!course) throw new CourseNotFound(courseId);
    return { ...course, seats_available: Math.max(0, course.capacity - course.enrolled_count) };
  }

  create(dto: CreateCourseDto): Promise<Course> {
    const course: NewCourse = {
      ...dto,
      meetings: checkedMeetings(dto.meetings) ?? [],
      prerequisites: dto.prerequisites ?? [],
      corequisites: dto.corequisites ?? [],
      waitlist_capacity: dto.waitlist_capacity ?? 0,
    };
    return this.courses.create(course);
  }

  /**
   * Admins may change anything editable; a course's own instructor (the guard let only them through)
   * may edit it but not hand it over. The write re-checks the instructor: a reassignment that landed
   * after the guard's read is refused like any other non-instructor.
   */
  async update(courseId: string, dto: UpdateCourseDto, user: AuthUser): Promise<Course> {
    const patch: CoursePatch = { ...dto, meetings: checkedMeetings(dto.meetings) };
    if (patch.meetings === undefined) delete patch.meetings;
    if (Object.keys(patch).length === 0) throw new EmptyUpdate(PATCHABLE_FIELDS);
    if (user.role === 'admin') return this.courses.update(courseId, patch);
    if (patch.instructor_id !== undefined && patch.instructor_id !== user.sub) {
      throw new ForbiddenReassignment();
    }
    try {
      return await this.courses.update(courseId, patch, { onlyIfInstructor: user.sub });
    } catch (err) {
      if (err instanceof InstructorChanged) throw new NotCourseInstructor();
      throw err;
    }
  }

  async remove(courseId: string): Promise<Course> {
    const course = await this.courses.get(courseId);
    if (!course) throw new CourseNotFound(courseId);
    await this.courses.delete(courseId);
    return course;
  }
}

/**
 * Meetings as plain objects (the document client refuses the DTO's class instances), each running
 * forwards; 400 naming the meeting otherwise.
 */
function checkedMeetings(meetings: CreateCourseDto['meetings']): Course['meetings'] | undefined {
  if (!meetings) return undefined;
  const plain = meetings.map(({ days, start, end }) => ({ days, start, end }));
  const problems = meetingProblems(plain);
  if (problems.length > 0) throw validationFailed(problems.join('; '));
  return plain;
}
