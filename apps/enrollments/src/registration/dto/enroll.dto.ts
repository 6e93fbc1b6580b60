import { ApiProperty } from '@nestjs/swagger';
import { IsId, IsOmittable, PageQuery } from '@app/common';

export class EnrollDto {
  @ApiProperty({ example: 'CS101-2026-FALL' })
  @IsId()
  course_id: string;
}

export class MyEnrollmentsQuery extends PageQuery {
  @ApiProperty({ required: false, example: '2026-FALL' })
  @IsOmittable()
  @IsId()
  semester_id?: string;
}
