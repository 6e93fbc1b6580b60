import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { FailedJobView } from './queues.controller';

// What the queue endpoints answer, for the OpenAPI documents only.

export class FailedJobResponse implements FailedJobView {
  @ApiPropertyOptional({ type: String, example: '42' })
  id: string | undefined;

  @ApiProperty({ example: 'enrollment-confirmed' })
  name: string;

  @ApiProperty({ example: 'connect ECONNREFUSED 127.0.0.1:1025' })
  failedReason: string;

  @ApiProperty({ type: 'integer', example: 5 })
  attemptsMade: number;

  @ApiProperty({
    type: 'integer',
    example: 1780000000000,
    description: 'when the job was added, epoch ms',
  })
  timestamp: number;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the email job' })
  data: FailedJobView['data'];
}

export class FailedJobsResponse {
  @ApiProperty({ type: [FailedJobResponse] })
  items: FailedJobResponse[];
}

export class JobCountsResponse {
  @ApiProperty({ type: 'integer', example: 0 }) waiting: number;
  @ApiProperty({ type: 'integer', example: 0 }) active: number;
  @ApiProperty({ type: 'integer', example: 0 }) delayed: number;
  @ApiProperty({ type: 'integer', example: 0 }) prioritized: number;
  @ApiProperty({ type: 'integer', example: 1204 }) completed: number;
  @ApiProperty({ type: 'integer', example: 3 }) failed: number;
}
