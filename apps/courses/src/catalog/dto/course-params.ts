import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from './id-patterns';

export class CourseParams {
  @ApiProperty({ example: 'CS101-2026-FALL' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  course_id: string;
}

export class InstructorParams {
  @ApiProperty({ example: 'i0001' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  instructor_id: string;
}
