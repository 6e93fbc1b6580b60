import { JobsOptions } from 'bullmq';
import { QueueConfig } from '@app/common';
import { OutboxEvent, OutboxEventType } from '@app/data';

/** The one queue of this system; its keys live under QUEUE_PREFIX. */
export const EMAIL_QUEUE = 'email';

export type EmailJobName =
  | 'enrollment-confirmation'
  | 'enrollment-dropped'
  | 'enrollment-withdrawn'
  | 'waitlist-joined'
  | 'waitlist-promoted'
  // The names of SILENT_EVENTS: never queued, they send no email.
  | 'waitlist-left'
  | 'waitlist-removed'
  | 'capacity-raised'
  | 'waitlist-offered'
  | 'waitlist-offer-expired'
  | 'waitlist-declined'
  | 'registration-submitted'
  | 'term-saved'
  | 'waitlist-deadline-removed';

export const EMAIL_JOB_NAME: Readonly<Record<OutboxEventType, EmailJobName>> = {
  'enrollment.created': 'enrollment-confirmation',
  'enrollment.dropped': 'enrollment-dropped',
  'enrollment.withdrawn': 'enrollment-withdrawn',
  'waitlist.joined': 'waitlist-joined',
  'waitlist.promoted': 'waitlist-promoted',
  'waitlist.left': 'waitlist-left',
  'waitlist.removed': 'waitlist-removed',
  'course.capacity_raised': 'capacity-raised',
  'waitlist.offered': 'waitlist-offered',
  'waitlist.offer_expired': 'waitlist-offer-expired',
  'waitlist.declined': 'waitlist-declined',
  'registration.submitted': 'registration-submitted',
  'term.saved': 'term-saved',
  'waitlist.deadline_removed': 'waitlist-deadline-removed',
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
  | 'position'
  | 'changes'
  | 'offer_expires_at'
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
  ...(e.position !== undefined ? { position: e.position } : {}),
  ...(e.changes ? { changes: e.changes } : {}),
  ...(e.offer_expires_at ? { offer_expires_at: e.offer_expires_at } : {}),
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
