import { ApiProperty } from '@nestjs/swagger';
import { HISTORY_TYPES } from '@app/data';
import type { HistoryEntry, HistoryType, HistoryViolation, Page } from '@app/data';

// What the history routes answer, for the OpenAPI documents only (`implements` keeps them in step).

export class HistoryViolationResponse implements HistoryViolation {
  [detail: string]: unknown;

  @ApiProperty({ example: 'HOLD' })
  code: string;

  @ApiProperty({ example: 'CS101-2026-FALL' })
  course_id: string;

  @ApiProperty({ example: 'an active hold prevents adds' })
  message: string;
}

export class HistoryEntryResponse implements HistoryEntry {
  @ApiProperty({ example: '01JD3Q4W5X6Y7Z8A9B0C1D2E3F', description: 'ULID' })
  event_id: string;

  @ApiProperty({ enum: HISTORY_TYPES, example: 'enrolled' })
  type: HistoryType;

  @ApiProperty({ example: 's0001', description: "the caller's sub, or `system`" })
  actor: string;

  @ApiProperty({ example: '2026-08-02T09:00:00.000Z' })
  at: string;

  @ApiProperty({
    required: false,
    example: 'HOLD',
    description: 'why (add_rejected: the first violation code)',
  })
  reason?: string;

  @ApiProperty({ example: 's0001' })
  user_id: string;

  @ApiProperty({ example: 'CS101-2026-FALL' })
  course_id: string;

  @ApiProperty({ required: false, example: '2026-FALL' })
  semester_id?: string;

  @ApiProperty({
    type: [HistoryViolationResponse],
    required: false,
    description: 'add_rejected only: every violation the request was refused with',
  })
  violations?: HistoryViolationResponse[];
}

export class HistoryPageResponse implements Page<HistoryEntry> {
  @ApiProperty({ type: [HistoryEntryResponse], description: 'newest first' })
  items: HistoryEntryResponse[];

  @ApiProperty({ type: String, nullable: true, example: null })
  next_cursor: string | null;
}
