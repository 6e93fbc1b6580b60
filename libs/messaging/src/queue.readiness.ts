import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { ReadinessCheck } from '@app/common';
import { EMAIL_QUEUE } from './email-queue';

/** The email queue's Redis answers (one cheap read through the queue's own connection). */
@Injectable()
export class QueueReadiness implements ReadinessCheck {
  readonly name = 'queue';

  constructor(@InjectQueue(EMAIL_QUEUE) private readonly queue: Queue) {}

  async check(): Promise<void> {
    await this.queue.waitUntilReady();
    await this.queue.isPaused();
  }
}
