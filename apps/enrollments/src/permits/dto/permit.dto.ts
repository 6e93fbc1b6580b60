import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { IsId, IsIsoTime, IsOmittable } from '@app/common';
import { PERMIT_TYPES } from '@app/registration';
import type { PermitType } from '@app/registration';
import type { StoredPermit } from '@app/data';

/** POST /api/permits. */
export class IssuePermitDto {
  @ApiProperty({ example: 's0001' })
  @IsId()
  user_id: string;

  @ApiProperty({ example: 'CS101-2026-FALL' })
  @IsId()
  course_id: string;

  @ApiProperty({ enum: PERMIT_TYPES, example: 'CAPACITY', description: 'the check it waives' })
  @IsIn(PERMIT_TYPES, { message: `$property must be one of ${PERMIT_TYPES.join(', ')}` })
  type: PermitType;

  @ApiPropertyOptional({ example: '2026-09-10T23:59:59Z', description: 'waives nothing after' })
  @IsOmittable()
  @IsIsoTime()
  expires_at?: string;
}

const ID = '[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}';
const PERMIT_ID = new RegExp(`^${ID}~${ID}~(${PERMIT_TYPES.join('|')})$`);

export class PermitParams {
  @ApiProperty({ example: 's0001~CS101-2026-FALL~CAPACITY', description: 'user~course~type' })
  @Matches(PERMIT_ID, { message: '$property must be <user_id>~<course_id>~<type>' })
  permit_id: string;
}

export class PermitResponse implements StoredPermit {
  @ApiProperty({ example: 's0001~CS101-2026-FALL~CAPACITY' })
  permit_id: string;

  @ApiProperty({ example: 's0001' })
  user_id: string;

  @ApiProperty({ example: 'CS101-2026-FALL' })
  course_id: string;

  @ApiProperty({ enum: PERMIT_TYPES, example: 'CAPACITY' })
  type: PermitType;

  @ApiPropertyOptional({ example: '2026-09-10T23:59:59Z' })
  expires_at?: string;

  @ApiProperty({ example: 'i0001', description: 'who issued it' })
  issued_by: string;

  @ApiProperty({ example: '2026-08-20T10:00:00.000Z' })
  issued_at: string;
}

export class PermitListResponse {
  @ApiProperty({ type: [PermitResponse] })
  items: PermitResponse[];
}
