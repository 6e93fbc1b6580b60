import { ApiProperty } from '@nestjs/swagger';
import type { CourseSummary } from './course.types';

/**
 * A course's catalog fields as the API answers them, for the OpenAPI documents only (the handlers
 * return the stored items): the courses app's lists and details, and the enrollments app's course
 * cards, extend it.
 */
export class CourseSummaryResponse implements CourseSummary {
  @ApiProperty({ example: 'CS101-2026-FALL' })
  course_id: string;

  @ApiProperty({ example: 'CS101' })
  course_code: string;

  @ApiProperty({ example: 'Introduction to Programming' })
  title: string;

  @ApiProperty({ example: '2026-FALL' })
  semester_id: string;

  @ApiProperty({ example: 'CS' })
  department_id: string;

  @ApiProperty({ example: 'i0001' })
  instructor_id: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1000, example: 120 })
  capacity: number;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 30, example: 4 })
  credits: number;
}
