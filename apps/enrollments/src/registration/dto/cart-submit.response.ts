import { ApiProperty } from '@nestjs/swagger';
import type { CartResult } from '@app/data';

// What a cart submit answers, for the OpenAPI documents only (`implements` keeps them in step).

export class CartResultResponse implements CartResult {
  @ApiProperty({ example: 'CS201-2026-FALL' })
  course_id: string;

  @ApiProperty({ enum: ['add', 'drop'], example: 'add' })
  action: 'add' | 'drop';

  @ApiProperty({
    enum: ['enrolled', 'waitlisted', 'dropped', 'withdrawn'],
    example: 'enrolled',
    description:
      "a drop after the term's drop deadline is a withdrawal (a W, the seat freed); `waitlisted`: an add with `waitlist: true` on a full section",
  })
  status: CartResult['status'];

  @ApiProperty({
    required: false,
    type: 'integer',
    minimum: 1,
    example: 2,
    description: 'waitlisted lines: 1 + the students ahead in the list',
  })
  position?: number;
}

export class CartSubmitResponse {
  @ApiProperty({ type: [CartResultResponse], description: 'every line, adds first, in cart order' })
  results: CartResultResponse[];
}
