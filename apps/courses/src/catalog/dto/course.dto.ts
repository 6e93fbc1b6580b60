import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { COURSE_CODE_PATTERN, IsId, IsOmittable } from '@app/common';
import { PATCHABLE_FIELDS } from '@app/data';
import { DAYS } from '@app/registration';
import type { Day } from '@app/registration';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

const COURSE_CODE = COURSE_CODE_PATTERN;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class MeetingDto {
  @ApiProperty({ enum: DAYS, isArray: true, example: ['MO', 'WE', 'FR'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsIn(DAYS, { each: true })
  days: Day[];

  @ApiProperty({ example: '09:00', description: 'HH:MM, 24 h' })
  @Matches(HH_MM, { message: '$property must be HH:MM (24 h)' })
  start: string;

  @ApiProperty({ example: '09:50', description: 'HH:MM, 24 h, after start' })
  @Matches(HH_MM, { message: '$property must be HH:MM (24 h)' })
  end: string;
}

/** Lists of course codes (prerequisites, corequisites). */
const CourseCodes = (): PropertyDecorator => (target, key) => {
  IsArray()(target, key);
  ArrayMaxSize(20)(target, key);
  ArrayUnique()(target, key);
  Matches(COURSE_CODE, { each: true, message: 'each of $property must be a course code' })(
    target,
    key,
  );
};

export class CreateCourseDto {
  @ApiProperty({ example: 'CS101-2026-FALL' })
  @IsId()
  course_id: string;

  @ApiProperty({ example: 'CS101' })
  @Matches(COURSE_CODE, { message: '$property must be 1-16 letters, digits or "-"' })
  course_code: string;

  @ApiProperty({ example: 'Introduction to Programming' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiPropertyOptional({ example: 'Variables, control flow, functions and testing.' })
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

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1000, example: 120 })
  @IsInt()
  @Min(1)
  @Max(1000)
  capacity: number;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 30, example: 4 })
  @IsInt()
  @Min(0)
  @Max(30)
  credits: number;

  @ApiPropertyOptional({ type: [MeetingDto], description: 'weekly meetings; empty = TBA' })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => MeetingDto)
  meetings?: MeetingDto[];

  @ApiPropertyOptional({ example: ['CS100'], description: 'course codes completed first' })
  @IsOmittable()
  @CourseCodes()
  prerequisites?: string[];

  @ApiPropertyOptional({ example: [], description: 'course codes taken in the same term' })
  @IsOmittable()
  @CourseCodes()
  corequisites?: string[];

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 500, default: 0 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(500)
  waitlist_capacity?: number;
}

/** Identity fields (id, code, semester, department) are fixed once created. */
export class UpdateCourseDto extends PartialType(
  PickType(CreateCourseDto, PATCHABLE_FIELDS),
  { skipNullProperties: false }, // null is a value to refuse, not a field left out
) {}
