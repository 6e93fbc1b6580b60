import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsId, IsOmittable, PageQuery } from '@app/common';

export class ListCoursesQuery extends PageQuery {
  @ApiProperty({ example: '2026-FALL' })
  @IsId()
  semester_id: string;

  @ApiPropertyOptional({ example: 'CS' })
  @IsOmittable()
  @IsId()
  department_id?: string;
}

export class InstructorCoursesQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2026-FALL' })
  @IsOmittable()
  @IsId()
  semester_id?: string;
}
