import { ApiProperty } from '@nestjs/swagger';
import { IsId, PageQuery } from '@app/common';
import { IsOptional } from 'class-validator';

export class EnrollDto {
  @ApiProperty({ example: 'CS101-2026-FALL' })
  @IsId()
  course_id: string;
}

export class MyEnrollmentsQuery extends PageQuery {
  @ApiProperty({ required: false, example: '2026-FALL' })
  @IsOptional()
  @IsId()
  semester_id?: string;
}
