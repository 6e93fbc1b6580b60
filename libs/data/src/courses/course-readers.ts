import type { Page } from '../kit/page';
import type { Course, CourseSummary } from './course.types';

/** A page of courses by semester (optionally one department) or by instructor (optionally one semester). */
export interface CourseListReader {
  listBySemester(q: {
    semesterId: string;
    departmentId?: string;
    limit: number;
    cursor?: string;
  }): Promise<Page<CourseSummary>>;
  listByInstructor(q: {
    instructorId: string;
    semesterId?: string;
    limit: number;
    cursor?: string;
  }): Promise<Page<CourseSummary>>;
}

/** Many courses by id, in the order asked, unknown ids skipped. */
export interface CourseBatchReader {
  getMany(ids: string[]): Promise<Course[]>;
}

/**
 * The catalog's list reads and batch reads as ports, so that slower implementations (Scan, one read
 * per course) can stand in for them when their cost is measured. CoursesRepository implements both;
 * @app/baselines binds the tokens.
 */
export const COURSE_LIST_READER = Symbol('COURSE_LIST_READER');
export const COURSE_BATCH_READER = Symbol('COURSE_BATCH_READER');
