import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { StoredHold, User } from '@app/data';

// What the Users table answers (profile, registrar record, holds), for the OpenAPI documents only.

export class HoldResponse implements StoredHold {
  @ApiProperty({ example: '01JAB3C4D5E6F7G8H9J0KMNPQR' })
  hold_id: string;

  @ApiProperty({ example: 'BURSAR' })
  code: string;

  @ApiProperty({ example: 'unpaid tuition' })
  reason: string;

  @ApiProperty({ example: '2026-07-01T12:00:00.000Z' })
  created_at: string;
}

export class UserResponse implements User {
  @ApiProperty({ example: 's0001' })
  user_id: string;

  @ApiProperty({ example: 's0001@example.edu' })
  email: string;

  @ApiProperty({ example: 'Ada Student' })
  name: string;

  @ApiProperty({ enum: ['student', 'instructor', 'admin'], example: 'student' })
  role: 'student' | 'instructor' | 'admin';

  @ApiProperty({ example: '2026-01-15T09:00:00.000Z' })
  created_at: string;

  @ApiPropertyOptional({ example: 'senior' })
  priority_group?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 40, example: 21 })
  max_credits?: number;

  @ApiPropertyOptional({ example: ['CS100'] })
  completed_courses?: string[];

  @ApiPropertyOptional({
    description: 'active holds by hold_id',
    type: 'object',
    additionalProperties: {
      type: 'object',
      required: ['code', 'reason', 'created_at'],
      properties: {
        code: { type: 'string' },
        reason: { type: 'string' },
        created_at: { type: 'string' },
      },
    },
    example: {
      '01JAB3C4D5E6F7G8H9J0KMNPQR': {
        code: 'BURSAR',
        reason: 'unpaid tuition',
        created_at: '2026-07-01T12:00:00.000Z',
      },
    },
  })
  holds?: Record<string, Omit<StoredHold, 'hold_id'>>;
}
