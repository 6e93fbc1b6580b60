import { InjectQueue } from '@nestjs/bullmq';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import {
  counter,
  histogram,
  queueConfig,
  TIMED_OUT,
  waitAtMost,
  waitlistConfig,
} from '@app/common';
import type { QueueConfig, RedisClient, WaitlistConfig } from '@app/common';
import { CoursesRepository } from '@app/data';
import {
  DEADLINE_SWEEP_JOB,
  OFFER_EXPIRY_JOB,
  PROMOTION_JOB,
  PROMOTION_JOB_OPTIONS,
  promotionJobId,
  PromotionJob,
  WAITLIST_QUEUE,
} from '@app/messaging';
import { seatOpenForAdd } from '@app/registration';
import { DeadlineSweepService, SweepResult } from './deadline-sweep.service';
import { PromotionService, WalkResult } from './promotion.service';

/** The worker's own connection (role `queue-worker`: no command timeout, as BullMQ needs). */
export const WAITLIST_WORKER_REDIS = Symbol('WAITLIST_WORKER_REDIS');

const walks = counter('waitlist_walks_total', 'Promotion walks of a section, by outcome', [
  'result',
]);
const walkSeconds = histogram('waitlist_walk_seconds', 'Duration of one promotion walk');
const sweeps = counter(
  'waitlist_deadline_sweeps_total',
  'Add-deadline sweeps of a term, by outcome',
  ['result'],
);

type JobResult = WalkResult | SweepResult;

/**
 * Runs the promotion walks of the waitlist queue (WAITLIST_WORKER_ENABLED). Each section has one
 * job at a time (its job id), so a burst of drops is one walk; a change that commits while its
 * section's walk runs cannot add the job again, so once a walk's job is gone the section is read
 * once more and walked again if a seat is free for the waiting (the `completed` handler below).
 */
@Injectable()
export class PromotionWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PromotionWorker.name);
  private worker?: Worker<PromotionJob, JobResult>;

  constructor(
    private readonly promotions: PromotionService,
    private readonly deadlines: DeadlineSweepService,
    private readonly courses: CoursesRepository,
    @InjectQueue(WAITLIST_QUEUE) private readonly queue: Queue<PromotionJob>,
    @Inject(WAITLIST_WORKER_REDIS) private readonly connection: RedisClient,
    @Inject(waitlistConfig.KEY) private readonly config: WaitlistConfig,
    @Inject(queueConfig.KEY) private readonly queueSettings: QueueConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.workerEnabled) return;
    this.worker = new Worker<PromotionJob, JobResult>(WAITLIST_QUEUE, (job) => this.process(job), {
      connection: this.connection,
      prefix: this.queueSettings.prefix, // the {creg} hash tag: one slot per queue
      concurrency: this.config.workerConcurrency,
    });
    this.worker.on('completed', (job) => {
      if (job.name !== DEADLINE_SWEEP_JOB) void this.recheck(job.data.course_id);
    });
    this.worker.on('failed', (job, err) => {
      if (job?.name === DEADLINE_SWEEP_JOB) {
        sweeps.inc({ result: 'failed' });
        this.logger.warn(`add-deadline sweep of ${job.data.term_id}: ${err.message}`);
        return;
      }
      walks.inc({ result: 'failed' });
      this.logger.warn(`waitlist walk ${job?.data.course_id}: ${err.message}`);
    });
    this.worker.on('error', (err) => this.logger.warn(`waitlist worker: ${err.message}`));
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.worker) return;
    // Waits for the running walks (a few transactions) up to the deadline, then closes forcibly:
    // an unfinished walk's job is redelivered as stalled, and every write it made was conditioned.
    const closed = await waitAtMost(
      this.worker.close(),
      this.queueSettings.workerShutdownTimeoutMs,
    );
    if (closed === TIMED_OUT) {
      this.logger.warn('waitlist walks still running at the shutdown deadline; closing forcibly');
      await waitAtMost(this.worker.close(true), 1000);
    }
  }

  private async process(job: Job<PromotionJob, JobResult>): Promise<JobResult> {
    if (job.name === DEADLINE_SWEEP_JOB && job.data.term_id && job.data.add_deadline) {
      const result = await this.deadlines.sweep(job.data.term_id, job.data.add_deadline);
      sweeps.inc({ result: result.decision === 'due' ? 'done' : 'moved' });
      return result;
    }
    const end = walkSeconds.startTimer();
    try {
      if (job.name === OFFER_EXPIRY_JOB && job.data.user_id) {
        const lapsed = await this.promotions.expire(job.data.user_id, job.data.course_id);
        return { promoted: [], skipped: [], opened: false, ...(lapsed ? { lapsed: true } : {}) };
      }
      const result = await this.promotions.walk(job.data.course_id);
      walks.inc({ result: 'done' });
      return result;
    } finally {
      end();
    }
  }

  /** After a walk's job is removed: walk again if a seat is free for the waiting. */
  private async recheck(courseId: string): Promise<void> {
    try {
      const s = await this.courses.get(courseId);
      if (!s || s.waitlist_count === 0 || s.enrolled_count >= s.capacity || seatOpenForAdd(s))
        return;
      await this.queue.add(
        PROMOTION_JOB,
        { course_id: courseId },
        { ...PROMOTION_JOB_OPTIONS, jobId: promotionJobId(courseId) },
      );
    } catch (err) {
      this.logger.warn(`waitlist re-check of ${courseId} failed: ${(err as Error).message}`);
    }
  }
}
