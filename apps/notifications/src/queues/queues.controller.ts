import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Queue } from 'bullmq';
import { Roles } from '@app/auth';
import { EMAIL_QUEUE, EmailJob } from '@app/messaging';
import { FailedJobsQuery } from './failed-jobs.query';
import { FailedJobsResponse, JobCountsResponse } from './queues.response';

export interface FailedJobView {
  id: string | undefined;
  name: string;
  failedReason: string;
  attemptsMade: number;
  timestamp: number;
  data: EmailJob;
}

/** Read-only view of the email queue for operators: failed jobs are kept, not dead-lettered. */
@ApiTags('queues')
@Roles('admin')
@Controller('queues/email')
export class QueuesController {
  constructor(@InjectQueue(EMAIL_QUEUE) private readonly queue: Queue<EmailJob>) {}

  @Get('failed')
  @ApiOperation({ summary: 'Failed email jobs, newest first (admins)' })
  @ApiOkResponse({ type: FailedJobsResponse, description: 'the failed jobs' })
  async failed(@Query() q: FailedJobsQuery): Promise<{ items: FailedJobView[] }> {
    const jobs = await this.queue.getFailed(0, q.limit - 1);
    return {
      items: jobs.map((j) => ({
        id: j.id,
        name: j.name,
        failedReason: j.failedReason,
        attemptsMade: j.attemptsMade,
        timestamp: j.timestamp,
        data: j.data,
      })),
    };
  }

  @Get('counts')
  @ApiOperation({ summary: 'Email job counts by state (admins)' })
  @ApiOkResponse({ type: JobCountsResponse, description: 'counts by state' })
  counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts(
      'waiting',
      'active',
      'delayed',
      'prioritized',
      'completed',
      'failed',
    );
  }
}
