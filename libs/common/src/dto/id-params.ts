import { ApiProperty } from '@nestjs/swagger';
import { IsId } from './id-pattern';

export class CourseParams {
  @ApiProperty({ example: 'CS101-2026-FALL' })
  @IsId()
  course_id: string;
}

export class InstructorParams {
  @ApiProperty({ example: 'i0001' })
  @IsId()
  instructor_id: string;
}
