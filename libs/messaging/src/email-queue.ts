import { JobsOptions } from 'bullmq';
import { QueueConfig } from '@app/common';
import { OutboxEvent, OutboxEventType } from '@app/data';

/** The one queue of this system; its keys live under QUEUE_PREFIX. */
export const EMAIL_QUEUE = 'email';

export type EmailJobName =
  | 'enrollment-confirmation'
  | 'enrollment-dropped'
  | 'enrollment-withdrawn'
  | 'registration-submitted';

export const EMAIL_JOB_NAME: Readonly<Record<OutboxEventType, EmailJobName>> = {
  'enrollment.created': 'enrollment-confirmation',
  'enrollment.dropped': 'enrollment-dropped',
  'enrollment.withdrawn': 'enrollment-withdrawn',
  'registration.submitted': 'registration-submitted',
};

/** What the sender needs of an outbox event; the rest (recipient, course titles) is read when sending. */
export type EmailJob = Pick<
  OutboxEvent,
  | 'event_id'
  | 'type'
  | 'user_id'
  | 'course_id'
  | 'semester_id'
  | 'email'
  | 'changes'
  | 'occurred_at'
> & {
  /** Noted in the job by the worker the moment the SMTP server accepted the email (see EmailSender). */
  smtp_accepted_at?: string;
};

export const toEmailJob = (e: OutboxEvent): EmailJob => ({
  event_id: e.event_id,
  type: e.type,
  user_id: e.user_id,
  course_id: e.course_id,
  semester_id: e.semester_id,
  ...(e.email ? { email: e.email } : {}),
  ...(e.changes ? { changes: e.changes } : {}),
  occurred_at: e.occurred_at,
});

/** What every email job gets, in one place (the queue's defaultJobOptions). */
export function emailJobOptions(queue: QueueConfig): JobsOptions {
  return {
    attempts: queue.emailAttempts,
    backoff: { type: 'exponential', delay: queue.emailBackoffMs },
    removeOnComplete: { age: 3600, count: 1000 },
    // BullMQ has no dead-letter queue: failed jobs stay in the failed set for inspection
    // (GET /api/queues/email/failed) and are counted in email_failed_jobs.
    removeOnFail: false,
  };
}
