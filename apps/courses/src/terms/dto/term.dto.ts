import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsIn,
  IsInt,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsId, IsIsoTime, IsOmittable } from '@app/common';

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
  @IsIsoTime()
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
  @IsIsoTime()
  registration_opens_at: string;

  @ApiPropertyOptional({ type: [PriorityWindowDto] })
  @IsOmittable()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PriorityWindowDto)
  priority_windows?: PriorityWindowDto[];

  @ApiProperty({ example: '2026-09-10T23:59:59Z' })
  @IsIsoTime()
  add_deadline: string;

  @ApiProperty({ example: '2026-09-20T23:59:59Z' })
  @IsIsoTime()
  drop_deadline: string;

  @ApiProperty({ example: '2026-11-01T23:59:59Z' })
  @IsIsoTime()
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
