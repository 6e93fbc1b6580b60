import { JobsOptions } from 'bullmq';

/** The promotion queue (DESIGN §9): one job per section at a time; its keys share QUEUE_PREFIX (`{creg}`). */
export const WAITLIST_QUEUE = 'waitlist';
export const PROMOTION_JOB = 'promote';
/** A delayed job per offer (offer mode): at the offer's expiry it lapses if still open. */
export const OFFER_EXPIRY_JOB = 'expire-offer';

/**
 * A delayed job per term and add deadline: at `add_deadline` every remaining waitlist row of the
 * term (waitlisted and open offers) is removed with an email (DESIGN §9).
 */
export const DEADLINE_SWEEP_JOB = 'deadline-sweep';

export interface PromotionJob {
  /** The section (DEADLINE_SWEEP_JOB: empty). */
  course_id: string;
  /** OFFER_EXPIRY_JOB: whose offer. */
  user_id?: string;
  /** DEADLINE_SWEEP_JOB: the term, and the add deadline the job was scheduled for. */
  term_id?: string;
  add_deadline?: string;
}

/**
 * One sweep job per term and add deadline: saving the term again with the same deadline adds
 * nothing; a changed deadline gets its own job, and the old one finds the deadline moved and does
 * nothing.
 */
export const deadlineSweepJobId = (termId: string, addDeadline: string): string =>
  `deadline-${encodeURIComponent(termId)}-${Date.parse(addDeadline)}`;

/**
 * One expiry job per offer (a relay's second enqueue of the event adds nothing); the expiry is in
 * it, so a later offer of the same seat to the same student has its own.
 */
export const offerExpiryJobId = (userId: string, courseId: string, expiresAt: string): string =>
  `offer-${encodeURIComponent(userId)}-${encodeURIComponent(courseId)}-${Date.parse(expiresAt)}`;

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
