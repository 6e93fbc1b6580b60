import { ApiProperty, OmitType } from '@nestjs/swagger';
import type { Term } from '@app/data';
import { PutTermDto } from './term.dto';

/** A stored term, for the OpenAPI documents (the handlers return the item as it is). */
export class TermResponse
  extends OmitType(PutTermDto, ['max_credits', 'waitlist_mode', 'offer_hold_minutes'] as const)
  implements Term
{
  @ApiProperty({ example: '2026-FALL' })
  term_id: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 40, example: 18 })
  max_credits: number;

  @ApiProperty({ enum: ['auto', 'offer'], example: 'auto' })
  waitlist_mode: 'auto' | 'offer';

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10080, example: 1440 })
  offer_hold_minutes: number;

  @ApiProperty({ example: '2026-03-01T10:00:00.000Z' })
  updated_at: string;
}

export class TermListResponse {
  @ApiProperty({ type: [TermResponse], description: 'in term order' })
  items: TermResponse[];
}
