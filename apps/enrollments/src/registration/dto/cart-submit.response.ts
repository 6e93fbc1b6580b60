import { ApiProperty } from '@nestjs/swagger';
import type { CartResult } from '@app/data';

// What a cart submit answers, for the OpenAPI documents only (`implements` keeps them in step).

export class CartResultResponse implements CartResult {
  @ApiProperty({ example: 'CS201-2026-FALL' })
  course_id: string;

  @ApiProperty({ enum: ['add', 'drop'], example: 'add' })
  action: 'add' | 'drop';

  @ApiProperty({
    enum: ['enrolled', 'dropped', 'withdrawn'],
    example: 'enrolled',
    description: "a drop after the term's drop deadline is a withdrawal (a W, the seat freed)",
  })
  status: CartResult['status'];
}

export class CartSubmitResponse {
  @ApiProperty({ type: [CartResultResponse], description: 'every line, adds first, in cart order' })
  results: CartResultResponse[];
}
