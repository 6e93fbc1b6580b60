import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { queueConfig } from '@app/common';
import type { QueueConfig } from '@app/common';
import { CoursesRepository, OutboxRepository, UsersRepository } from '@app/data';
import { EmailJob } from './email-queue';
import { renderEmail } from './email-templates';
import { Mailer } from './mailer';

export type SendResult = 'sent' | 'already-sent';

/** Deterministic, so a duplicate that ever slipped through would be recognisable as one by mail clients. */
export const messageIdFor = (eventId: string): string => `<${eventId}@course-registration>`;

/** Another delivery of the same event holds the send claim right now: retry later (with backoff). */
export class SendInProgressError extends Error {
  constructor(eventId: string) {
    super(`email for event ${eventId} is being sent by another worker`);
    this.name = 'SendInProgressError';
  }
}

/**
 * Sends one event's email, at most once per event. Delivery through BullMQ is at-least-once, so the
 * outbox row carries a claim while sending and a SENT marker after. Throws to have BullMQ retry
 * (SMTP errors), or UnrecoverableError when retrying cannot help.
 */
@Injectable()
export class EmailSender {
  private readonly leaseMs: number;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly users: UsersRepository,
    private readonly courses: CoursesRepository,
    private readonly mailer: Mailer,
    @Inject(queueConfig.KEY) queue: QueueConfig,
  ) {
    // As long as a job lock: a sender that dies loses both at about the same time.
    this.leaseMs = queue.lockDurationMs;
  }

  async send(job: EmailJob): Promise<SendResult> {
    const token = randomUUID();
    const claim = await this.outbox.claimSend(job.event_id, token, this.leaseMs);
    if (claim === 'already-sent') return 'already-sent';
    if (claim === 'in-progress') throw new SendInProgressError(job.event_id);
    if (claim === 'missing')
      throw new UnrecoverableError(`outbox event ${job.event_id} does not exist`);

    try {
      const [user, course] = await Promise.all([
        this.users.get(job.user_id),
        this.courses.get(job.course_id),
      ]);
      const to = user?.email ?? job.email;
      if (!to) {
        throw new UnrecoverableError(
          `no email address for user ${job.user_id} (event ${job.event_id})`,
        );
      }
      const content = renderEmail({
        type: job.type,
        course_id: job.course_id,
        semester_id: job.semester_id,
        course: course ? { course_code: course.course_code, title: course.title } : undefined,
        name: user?.name,
      });
      await this.mailer.send({ to, ...content, messageId: messageIdFor(job.event_id) });
    } catch (err) {
      await this.outbox.releaseSend(job.event_id, token).catch(() => undefined);
      throw err;
    }
    return (await this.outbox.markSent(job.event_id)) ? 'sent' : 'already-sent';
  }
}
