import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsId, PageQuery } from '@app/common';
import { IsOptional } from 'class-validator';

export class ListCoursesQuery extends PageQuery {
  @ApiProperty({ example: '2026-FALL' })
  @IsId()
  semester_id: string;

  @ApiPropertyOptional({ example: 'CS' })
  @IsOptional()
  @IsId()
  department_id?: string;
}

export class InstructorCoursesQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2026-FALL' })
  @IsOptional()
  @IsId()
  semester_id?: string;
}
