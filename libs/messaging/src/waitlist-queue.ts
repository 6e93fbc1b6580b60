import { JobsOptions } from 'bullmq';

/** The promotion queue (DESIGN §9): one job per section at a time; its keys share QUEUE_PREFIX (`{creg}`). */
export const WAITLIST_QUEUE = 'waitlist';
export const PROMOTION_JOB = 'promote';

export interface PromotionJob {
  course_id: string;
}

/**
 * The job id of a section's promotion walk: one job per section while it waits, so a burst of
 * drops is one walk. BullMQ refuses `:` in custom ids; course ids may hold one.
 */
export const promotionJobId = (courseId: string): string => `walk-${encodeURIComponent(courseId)}`;

/**
 * Removed when done (either way), so the next trigger can add the section's job again; a walk
 * that hit a transient error is retried with backoff.
 */
export const PROMOTION_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 250 },
  removeOnComplete: true,
  removeOnFail: true,
};
