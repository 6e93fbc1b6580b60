import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { IsId, IsOmittable, PageQuery } from '@app/common';

export class EnrollDto {
  @ApiProperty({ example: 'CS101-2026-FALL' })
  @IsId()
  course_id: string;

  @ApiProperty({
    required: false,
    default: false,
    description:
      'join the waitlist if the section is full (201 with status `waitlisted` and `position`); a seat open to a plain add is taken',
  })
  @IsOmittable()
  @IsBoolean()
  waitlist?: boolean;
}

export class MyEnrollmentsQuery extends PageQuery {
  @ApiProperty({ required: false, example: '2026-FALL' })
  @IsOmittable()
  @IsId()
  semester_id?: string;
}
