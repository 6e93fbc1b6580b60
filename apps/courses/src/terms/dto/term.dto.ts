import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { applyDecorators } from '@nestjs/common';
import {
  ArrayMaxSize,
  Matches,
  IsIn,
  IsInt,
  IsISO8601,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsId, IsOmittable } from '@app/common';

/**
 * An ISO-8601 date and time in the extended form with a zone (`2026-08-01T09:00:00Z`): the basic
 * form (`20260801T090000Z`) is ISO too, but not what the API shows, and Date.parse refuses it.
 */
const EXTENDED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const isoTime = () =>
  applyDecorators(
    IsISO8601({ strict: true, strictSeparator: true }),
    Matches(EXTENDED_TIME, {
      message: '$property must be a date and time like 2026-08-01T09:00:00Z, with a zone',
    }),
  );

export class TermParams {
  @ApiProperty({ example: '2026-FALL' })
  @IsId()
  term_id: string;
}

export class PriorityWindowDto {
  @ApiProperty({ example: 'senior' })
  @IsId()
  group: string;

  @ApiProperty({ example: '2026-07-28T09:00:00Z' })
  @isoTime()
  opens_at: string;
}

/** PUT /api/terms/:term_id: the whole calendar (DESIGN §8); dates must be in order. */
export class PutTermDto {
  @ApiProperty({ example: 'Fall 2026' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: '2026-08-01T09:00:00Z' })
  @isoTime()
  registration_opens_at: string;

  @ApiPropertyOptional({ type: [PriorityWindowDto] })
  @IsOmittable()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PriorityWindowDto)
  priority_windows?: PriorityWindowDto[];

  @ApiProperty({ example: '2026-09-10T23:59:59Z' })
  @isoTime()
  add_deadline: string;

  @ApiProperty({ example: '2026-09-20T23:59:59Z' })
  @isoTime()
  drop_deadline: string;

  @ApiProperty({ example: '2026-11-01T23:59:59Z' })
  @isoTime()
  withdraw_deadline: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 40, default: 18 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(40)
  max_credits?: number;

  @ApiPropertyOptional({ enum: ['auto', 'offer'], default: 'auto' })
  @IsOmittable()
  @IsIn(['auto', 'offer'])
  waitlist_mode?: 'auto' | 'offer';

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10080, default: 1440 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(10080)
  offer_hold_minutes?: number;
}
