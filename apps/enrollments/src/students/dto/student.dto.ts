import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { COURSE_CODE_PATTERN, IsId, IsOmittable } from '@app/common';

export class UserParams {
  @ApiProperty({ example: 'u00001' })
  @IsId()
  user_id: string;
}

export class HoldParams extends UserParams {
  @ApiProperty({ example: '3f0c…' })
  @IsId()
  hold_id: string;
}

/** PATCH /api/users/:user_id: the registrar's fields of a student. */
export class RegistrarFieldsDto {
  @ApiPropertyOptional({ example: 'senior', description: 'matches a term priority window' })
  @IsOmittable()
  @IsId()
  priority_group?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 40,
    description: "overrides the term's max_credits",
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(40)
  max_credits?: number;

  @ApiPropertyOptional({ example: ['CS100', 'MATH100'] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @Matches(COURSE_CODE_PATTERN, {
    each: true,
    message: 'each of $property must be a course code',
  })
  completed_courses?: string[];
}

/** POST /api/users/:user_id/holds. */
export class HoldDto {
  @ApiProperty({ example: 'BURSAR' })
  @Matches(/^[A-Z][A-Z0-9_]{0,31}$/, { message: '$property must be 1-32 capitals, digits or "_"' })
  code: string;

  @ApiProperty({ example: 'unpaid tuition' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}
