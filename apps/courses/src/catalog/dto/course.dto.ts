import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { IsId, IsOmittable } from '@app/common';
import { IsInt, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

export class CreateCourseDto {
  @ApiProperty({ example: 'CS101-2026-FALL' })
  @IsId()
  course_id: string;

  @ApiProperty({ example: 'CS101' })
  @Matches(/^[A-Za-z0-9-]{1,16}$/, { message: '$property must be 1-16 letters, digits or "-"' })
  course_code: string;

  @ApiProperty({ example: 'Introduction to Programming' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @MaxLength(4000)
  description?: string;

  @ApiProperty({ example: '2026-FALL' })
  @IsId()
  semester_id: string;

  @ApiProperty({ example: 'CS' })
  @IsId()
  department_id: string;

  @ApiProperty({ example: 'i0001' })
  @IsId()
  instructor_id: string;

  @ApiProperty({ minimum: 1, maximum: 1000 })
  @IsInt()
  @Min(1)
  @Max(1000)
  capacity: number;

  @ApiProperty({ minimum: 0, maximum: 30 })
  @IsInt()
  @Min(0)
  @Max(30)
  credits: number;
}

/** Identity fields (id, code, semester, department) are fixed once created. */
export class UpdateCourseDto extends PartialType(
  PickType(CreateCourseDto, [
    'title',
    'description',
    'capacity',
    'credits',
    'instructor_id',
  ] as const),
  { skipNullProperties: false }, // null is a value to refuse, not a field left out
) {}
