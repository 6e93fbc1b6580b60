import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { EMAIL_QUEUE, EmailJob, EmailJobName, EmailSender, SendResult } from '@app/messaging';
import { EMAIL_WORKER_OPTIONS } from './email-worker.options';
import type { EmailWorkerOptions } from './email-worker.options';
import { emailJobs } from './email.metrics';
import { closeWorkerWithin } from './worker-shutdown';

/** The BullMQ worker of the email queue: hands each job to EmailSender. Worker options: see EmailModule. */
@Processor(EMAIL_QUEUE)
export class EmailProcessor extends WorkerHost implements BeforeApplicationShutdown {
  private readonly logger = new Logger(EmailProcessor.name);
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly sender: EmailSender,
    @Inject(EMAIL_WORKER_OPTIONS) private readonly options: EmailWorkerOptions,
  ) {
    super();
  }

  async process(job: Job<EmailJob, SendResult, EmailJobName>): Promise<SendResult> {
    const sending = this.sender.send(job.data, () =>
      job.updateData({ ...job.data, smtp_accepted_at: new Date().toISOString() }),
    );
    this.running.add(sending);
    try {
      return await sending;
    } finally {
      this.running.delete(sending);
    }
  }

  @OnWorkerEvent('completed')
  onCompleted(): void {
    emailJobs.inc({ result: 'completed' });
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<EmailJob> | undefined, err: Error): void {
    const final =
      err instanceof UnrecoverableError || !job || job.attemptsMade >= (job.opts.attempts ?? 1);
    emailJobs.inc({ result: final ? 'failed' : 'retried' });
    const what = `email job ${job?.id} (${job?.name}) attempt ${job?.attemptsMade}`;
    if (final) this.logger.error(`${what} failed for good, kept in the failed set: ${err.message}`);
    else this.logger.warn(`${what} failed, will retry: ${err.message}`);
  }

  @OnWorkerEvent('error')
  onError(err: Error): void {
    this.logger.warn(`email worker: ${err.message}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const abandoned = await closeWorkerWithin(
      this.worker,
      this.running,
      this.options.shutdownTimeoutMs,
    );
    if (abandoned > 0) {
      this.logger.warn(
        `${abandoned} email job(s) still running at the shutdown deadline; they will be redelivered`,
      );
    }
  }
}
