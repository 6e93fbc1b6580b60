import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import { counter, withTimeout } from '@app/common';
import { OutboxEvent, OutboxRepository, SILENT_EVENTS, walksOf } from '@app/data';
import { EMAIL_JOB_NAME, EMAIL_QUEUE, EmailJob, EmailJobName, toEmailJob } from './email-queue';
import {
  DEADLINE_SWEEP_JOB,
  deadlineSweepJobId,
  OFFER_EXPIRY_JOB,
  offerExpiryJobId,
  PROMOTION_JOB,
  PROMOTION_JOB_OPTIONS,
  promotionJobId,
  PromotionJob,
  WAITLIST_QUEUE,
} from './waitlist-queue';

/** Longer than the producer connection's connect + command timeouts; an enqueue never waits beyond it. */
const ENQUEUE_TIMEOUT_MS = 1500;

const enqueued = counter('email_enqueue_total', 'Email jobs handed to the queue, by result', [
  'result',
]);

/**
 * Puts an outbox event's email on the queue. The job id is the event id, so enqueueing one event twice
 * (fast path and relay) adds one job while it exists; after that the sender's SENT marker decides.
 */
@Injectable()
export class EmailProducer implements OnModuleInit {
  private readonly logger = new Logger(EmailProducer.name);
  private lastErrorLog = 0;

  constructor(
    @InjectQueue(EMAIL_QUEUE) private readonly queue: Queue<EmailJob, unknown, EmailJobName>,
    @InjectQueue(WAITLIST_QUEUE) private readonly waitlist: Queue<PromotionJob>,
    private readonly outbox: OutboxRepository,
  ) {}

  onModuleInit(): void {
    // Connection errors are reported per enqueue; without a listener BullMQ prints each one.
    this.queue.on('error', (err) => this.logThrottled(`email queue connection: ${err.message}`));
    this.waitlist.on('error', (err) =>
      this.logThrottled(`waitlist queue connection: ${err.message}`),
    );
  }

  /** Never throws: false means the event stays pending and the outbox relay will enqueue it. */
  async enqueue(event: OutboxEvent): Promise<boolean> {
    try {
      await withTimeout(
        Promise.all([
          // A change that may let a waitlisted student in: the section's promotion walk (one job
          // per section while it waits), queued before the event is marked, like its email.
          ...walksOf(event).map((courseId) =>
            this.waitlist.add(
              PROMOTION_JOB,
              { course_id: courseId },
              { ...PROMOTION_JOB_OPTIONS, jobId: promotionJobId(courseId) },
            ),
          ),
          // An offer lapses at its expiry unless accepted or declined first (a delayed job).
          event.type === 'waitlist.offered' && event.offer_expires_at
            ? this.waitlist.add(
                OFFER_EXPIRY_JOB,
                { course_id: event.course_id, user_id: event.user_id },
                {
                  ...PROMOTION_JOB_OPTIONS,
                  jobId: offerExpiryJobId(event.user_id, event.course_id, event.offer_expires_at),
                  delay: Math.max(0, Date.parse(event.offer_expires_at) - Date.now()),
                },
              )
            : undefined,
          // A saved term: its add-deadline sweep, a delayed job per (term, deadline).
          event.type === 'term.saved' && event.add_deadline
            ? this.waitlist.add(
                DEADLINE_SWEEP_JOB,
                {
                  course_id: '',
                  term_id: event.semester_id,
                  add_deadline: event.add_deadline,
                },
                {
                  ...PROMOTION_JOB_OPTIONS,
                  jobId: deadlineSweepJobId(event.semester_id, event.add_deadline),
                  delay: Math.max(0, Date.parse(event.add_deadline) - Date.now()),
                },
              )
            : undefined,
          SILENT_EVENTS.has(event.type)
            ? undefined
            : this.queue.add(EMAIL_JOB_NAME[event.type], toEmailJob(event), {
                jobId: event.event_id,
              }),
        ]),
        ENQUEUE_TIMEOUT_MS,
        'Redis (email enqueue)',
      );
    } catch (err) {
      enqueued.inc({ result: 'failed' });
      this.logThrottled(
        `enqueue of event ${event.event_id} failed, left to the outbox relay: ${(err as Error).message}`,
      );
      return false;
    }
    enqueued.inc({ result: 'ok' });
    try {
      await this.outbox.markEnqueued(event.event_id);
    } catch (err) {
      // The job is queued; the relay may enqueue it again, which the job id and SENT marker absorb.
      this.logger.warn(
        `event ${event.event_id} enqueued but not marked: ${(err as Error).message}`,
      );
    }
    return true;
  }

  private logThrottled(message: string): void {
    if (Date.now() - this.lastErrorLog < 5000) return;
    this.lastErrorLog = Date.now();
    this.logger.warn(message);
  }
}
