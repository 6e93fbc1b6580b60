import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { counter, queueConfig } from '@app/common';
import type { QueueConfig } from '@app/common';
import { CoursesRepository, OutboxRepository, UsersRepository } from '@app/data';
import { EmailJob } from './email-queue';
import { renderEmail } from './email-templates';
import { Mailer, OutgoingEmail } from './mailer';

export type SendResult = 'sent' | 'already-sent';

/** Deterministic: receivers drop the copy that at-least-once delivery may send (see EmailSender). */
export const messageIdFor = (eventId: string): string => `<${eventId}@course-registration>`;

const duplicateSends = counter(
  'email_duplicate_sends_total',
  'Emails sent after taking over a lapsed claim whose sender may already have sent them (same Message-ID)',
);

/** Tries of the SENT marker after a 250 (each with the SDK's own retries), 200 ms apart, doubling. */
const MARKER_ATTEMPTS = 5;
const MARKER_BACKOFF_MS = 200;

/** Another delivery of the same event holds the send claim right now: retry later (with backoff). */
export class SendInProgressError extends Error {
  constructor(eventId: string) {
    super(`email for event ${eventId} is being sent by another worker`);
    this.name = 'SendInProgressError';
  }
}

/**
 * Sends one event's email. Delivery through BullMQ is at-least-once, so the outbox row carries a
 * claim while sending and a SENT marker after: a redelivery after the marker sends nothing, and two
 * deliveries never send at once. What no marker can close is a sender that dies between the SMTP
 * server's 250 and its first record of it (the job's note in Redis, racing the marker): the takeover
 * sends that email again, with the same Message-ID, and counts it in email_duplicate_sends_total.
 * Throws to have BullMQ retry (SMTP errors), or UnrecoverableError when retrying cannot help.
 */
@Injectable()
export class EmailSender {
  /** This process, as the owner of its claims: its own retries take them again at once. */
  private readonly owner = randomUUID();
  private readonly leaseMs: number;
  /** Events this process is sending now: a second delivery here must wait, as one elsewhere does. */
  private readonly sending = new Set<string>();
  /** Events the SMTP server accepted whose marker write failed: the retry writes the marker only. */
  private readonly acceptedUnmarked = new Set<string>();

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly users: UsersRepository,
    private readonly courses: CoursesRepository,
    private readonly mailer: Mailer,
    @Inject(queueConfig.KEY) queue: QueueConfig,
  ) {
    this.leaseMs = queue.claimLeaseMs;
  }

  /**
   * `noteAccepted` records `smtp_accepted_at` in the job itself (a Redis write, far quicker than the
   * marker's DynamoDB write), started the moment the server accepts: a redelivery that finds the note
   * writes the marker and sends nothing, so the duplicate window is whichever write lands first.
   */
  async send(job: EmailJob, noteAccepted?: () => Promise<unknown>): Promise<SendResult> {
    const eventId = job.event_id;
    if (job.smtp_accepted_at || this.acceptedUnmarked.has(eventId))
      return this.markSentRetrying(eventId);
    if (this.sending.has(eventId)) throw new SendInProgressError(eventId);
    this.sending.add(eventId);
    try {
      return await this.claimAndSend(job, noteAccepted);
    } finally {
      this.sending.delete(eventId);
    }
  }

  private async claimAndSend(
    job: EmailJob,
    noteAccepted?: () => Promise<unknown>,
  ): Promise<SendResult> {
    const claim = await this.outbox
      .claimSend(job.event_id, this.owner, this.leaseMs)
      .catch(async (err: unknown) => {
        // It may have committed although its answer never came: give it back, so whichever worker
        // retries need not wait for it to lapse (nor count a duplicate that cannot have been sent).
        await this.outbox.releaseSend(job.event_id, this.owner).catch(() => undefined);
        throw err;
      });
    if (claim === 'already-sent') return 'already-sent';
    if (claim === 'in-progress') throw new SendInProgressError(job.event_id);
    if (claim === 'missing')
      throw new UnrecoverableError(`outbox event ${job.event_id} does not exist`);

    // Renewed until the marker is written: a slow DynamoDB must not let a live claim lapse.
    const renewal = setInterval(
      () => void this.outbox.renewSend(job.event_id, this.owner, this.leaseMs).catch(() => false),
      Math.floor(this.leaseMs / 3),
    );
    try {
      try {
        await this.mailer.send(await this.compose(job));
      } catch (err) {
        await this.outbox.releaseSend(job.event_id, this.owner).catch(() => undefined);
        throw err;
      }
      // The duplicate window, from the 250 until the note or the marker lands: nothing else in it.
      const noting = noteAccepted?.().catch(() => undefined);
      this.acceptedUnmarked.add(job.event_id);
      if (claim === 'taken-over') duplicateSends.inc();
      const result = await this.markSentRetrying(job.event_id);
      await noting;
      return result;
    } finally {
      clearInterval(renewal);
    }
  }

  /**
   * The marker after a 250, tried again here while this process still holds the claim: a retry of
   * the job could run on another worker, which would send the email again.
   */
  private async markSentRetrying(eventId: string): Promise<SendResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.markSent(eventId);
      } catch (err) {
        if (attempt >= MARKER_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, MARKER_BACKOFF_MS * 2 ** (attempt - 1)));
      }
    }
  }

  private async markSent(eventId: string): Promise<SendResult> {
    const recorded = await this.outbox.markSent(eventId);
    this.acceptedUnmarked.delete(eventId);
    return recorded ? 'sent' : 'already-sent';
  }

  private async compose(job: EmailJob): Promise<OutgoingEmail> {
    // A cart's email names every course it changed: one BatchGet, not a read per change.
    const [user, course, changed] = await Promise.all([
      this.users.get(job.user_id),
      job.changes ? undefined : this.courses.get(job.course_id),
      job.changes ? this.courses.getMany(job.changes.map((c) => c.course_id)) : [],
    ]);
    const byId = new Map(changed.map((c) => [c.course_id, c]));
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
      position: job.position,
      offer_expires_at: job.offer_expires_at,
      changes: job.changes?.map((c) => {
        const found = byId.get(c.course_id);
        return found ? { ...c, course: { course_code: found.course_code, title: found.title } } : c;
      }),
    });
    return { to, ...content, messageId: messageIdFor(job.event_id) };
  }
}
