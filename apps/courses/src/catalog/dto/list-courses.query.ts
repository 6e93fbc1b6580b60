import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from './id-patterns';
import { PageQuery } from './page.query';

export class ListCoursesQuery extends PageQuery {
  @ApiProperty({ example: '2026-FALL' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  semester_id: string;

  @ApiPropertyOptional({ example: 'CS' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  department_id?: string;
}

export class InstructorCoursesQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2026-FALL' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  semester_id?: string;
}
