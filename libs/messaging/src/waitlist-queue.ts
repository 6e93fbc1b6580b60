import { JobsOptions } from 'bullmq';

/** The promotion queue (DESIGN §9): one job per section at a time; its keys share QUEUE_PREFIX (`{creg}`). */
export const WAITLIST_QUEUE = 'waitlist';
export const PROMOTION_JOB = 'promote';
/** A delayed job per offer (offer mode): at the offer's expiry it lapses if still open. */
export const OFFER_EXPIRY_JOB = 'expire-offer';

export interface PromotionJob {
  course_id: string;
  /** OFFER_EXPIRY_JOB: whose offer. */
  user_id?: string;
}

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
