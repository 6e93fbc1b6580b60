import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { counter, gauge } from '@app/common';
import { EMAIL_QUEUE } from '@app/messaging';

export const emailJobs = counter('email_jobs_total', 'Email job attempts by outcome', ['result']);
const failedKept = gauge(
  'email_failed_jobs',
  'Email jobs in the failed set (kept for inspection; no dead-letter queue)',
);

const SAMPLE_EVERY_MS = 5000;

/** Samples the size of the failed set for /metrics. */
@Injectable()
export class EmailQueueMetrics implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(@InjectQueue(EMAIL_QUEUE) private readonly queue: Queue) {}

  onApplicationBootstrap(): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), SAMPLE_EVERY_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sample(): Promise<void> {
    try {
      failedKept.set(await this.queue.getFailedCount());
    } catch {
      // Redis unavailable: keep the last value; readiness reports the outage.
    }
  }
}
