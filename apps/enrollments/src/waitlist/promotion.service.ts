import { Inject, Injectable, Logger } from '@nestjs/common';
import { ResponseCache } from '@app/cache';
import { Clock, counter } from '@app/common';
import {
  Course,
  CoursesRepository,
  EnrollmentsRepository,
  HistoryRepository,
  SYSTEM_ACTOR,
  Tags,
  Waiter,
  WaitlistRepository,
} from '@app/data';
import { EMAIL_DISPATCH } from '@app/messaging';
import type { EmailDispatch } from '@app/messaging';
import { planPromotions, seatOpenForAdd, WaiterCheck } from '@app/registration';
import { EligibilityLoader } from '../registration/eligibility.loader';
import { TermCalendars } from '../registration/term-calendars';

export const waitlistPromotions = counter(
  'waitlist_promotions_total',
  'Waitlisted students looked at by the promotion worker, by outcome',
  ['result'],
);

/** A walk gives up after this many re-reads of a section that keeps changing under it (the job is retried). */
const MAX_ROUNDS = 20;

export interface WalkResult {
  promoted: string[];
  skipped: string[];
  /** The walk set the open marker: nobody waiting is eligible, the free seats are everyone's. */
  opened: boolean;
  /** An expiry job: the offer lapsed. */
  lapsed?: boolean;
}

/** The list is shorter in the index than the section's counter says: the GSI lags; try again shortly. */
export class WaitlistIndexLag extends Error {}

/**
 * The promotion walk of one section (DESIGN §9, auto mode): while seats are free, the list is
 * read in FIFO order and each student checked as for a join; the first eligible ones are promoted
 * (each in its own conditioned transaction), ineligible ones are skipped and keep their place.
 * When seats stay free with nobody eligible, they open to everyone (the waitlist_open marker),
 * guarded by waitlist_joins so a join during the walk is never passed over. Safe to run anywhere
 * at any time: every write is conditioned, and BullMQ runs one job per section at a time.
 */
@Injectable()
export class PromotionService {
  private readonly logger = new Logger(PromotionService.name);

  constructor(
    private readonly courses: CoursesRepository,
    private readonly waitlists: WaitlistRepository,
    private readonly eligibility: EligibilityLoader,
    private readonly cache: ResponseCache,
    private readonly history: HistoryRepository,
    private readonly terms: TermCalendars,
    private readonly enrollments: EnrollmentsRepository,
    private readonly clock: Clock,
    @Inject(EMAIL_DISPATCH) private readonly email: EmailDispatch,
  ) {}

  async walk(courseId: string): Promise<WalkResult> {
    const result: WalkResult = { promoted: [], skipped: [], opened: false };
    const seen = new Set<string>();
    try {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        // The joins counter first, with the section: a join after this read fails markOpen.
        const [section, joins] = await Promise.all([
          this.courses.get(courseId),
          this.waitlists.joinsOf(courseId),
        ]);
        if (!section || section.waitlist_count <= 0) return result;
        // Read even when no seat is free: a leave moved everyone behind it up (their GET /me).
        const waiters = await this.waitlists.waiters(courseId);
        waiters.forEach((w) => seen.add(w.user_id));
        const free = section.capacity - section.enrolled_count;
        if (free <= 0) return result;
        // Offer mode (Banner): the seat is held for offer_hold_minutes instead of enrolling.
        const term = await this.terms.get(section.semester_id);
        const offerExpiresAt =
          term?.waitlist_mode === 'offer'
            ? new Date(this.clock.now().getTime() + term.offer_hold_minutes * 60_000).toISOString()
            : undefined;
        const { checks, facts } = await this.check(section, waiters, free);
        const plan = planPromotions(checks, free);
        for (const userId of plan.skipped) {
          if (!result.skipped.includes(userId)) {
            result.skipped.push(userId);
            waitlistPromotions.inc({ result: 'skipped' });
            // Best effort, as a rejection is: the student keeps their place, nothing else changed.
            await this.history.record({
              type: 'waitlist_skipped',
              actor: SYSTEM_ACTOR,
              reason: checks
                .find((c) => c.user_id === userId)!
                .violations.map((v) => v.code)
                .join(', '),
              user_id: userId,
              course_id: courseId,
              semester_id: section.semester_id,
            });
          }
        }
        let raced = false;
        for (const userId of plan.promote) {
          const { waiter, waitlistedElsewhere } = facts.get(userId)!;
          const { result: outcome, event } = await this.waitlists.promote({
            userId,
            courseId,
            semesterId: waiter.semester_id,
            email: waiter.email,
            credits: section.credits,
            waitlistedElsewhere,
            offerExpiresAt,
          });
          if (outcome !== 'promoted') {
            raced = true; // the row left, or the seat went: read the section again
            break;
          }
          result.promoted.push(userId);
          waitlistPromotions.inc({ result: 'promoted' });
          await this.email.dispatch(event!);
        }
        if (raced) continue;
        if (!plan.openToAll || seatOpenForAdd(section)) return result;
        // Nobody left is eligible. Only open the seats on the whole list: a lagging index could
        // hide a join that committed before the section was read.
        if (waiters.length < section.waitlist_count) throw new WaitlistIndexLag(courseId);
        if (await this.waitlists.markOpen(courseId, joins)) {
          result.opened = true;
          return result;
        }
        // Someone joined during the walk: walk again.
      }
      throw new Error(`section ${courseId} kept changing during ${MAX_ROUNDS} walks`);
    } finally {
      if (result.promoted.length > 0 || result.opened || seen.size > 0) {
        // Seats and the roster changed, and every waiter's position may have (GET /me shows it).
        await this.cache.invalidate([
          Tags.seats(courseId),
          Tags.roster(courseId),
          ...[...seen].map((u) => Tags.userEnrollments(u)),
        ]);
      }
      if (result.promoted.length > 0 || result.skipped.length > 0) {
        this.logger.log(
          `waitlist ${courseId}: promoted ${result.promoted.length}, skipped ${result.skipped.length}` +
            (result.opened ? ', free seats opened to all' : ''),
        );
      }
    }
  }

  /**
   * An offer's expiry job: the offer lapses if it is still open and past its time (accepted or
   * declined ones are left alone); the seat goes back to the list (its walk is the event's cue).
   */
  async expire(userId: string, courseId: string): Promise<boolean> {
    const row = await this.enrollments.get(userId, courseId);
    if (row?.status !== 'offered') return false;
    const event = await this.waitlists.endOffer({
      userId,
      courseId,
      semesterId: row.semester_id,
      actor: SYSTEM_ACTOR,
      lapsedAt: this.clock.now(),
      email: await this.waitlists.emailOf(userId, courseId),
    });
    if (!event) return false;
    await this.email.dispatch(event);
    await this.cache.invalidate([
      Tags.seats(courseId),
      Tags.roster(courseId),
      Tags.userEnrollments(userId),
    ]);
    return true;
  }

  /** Checks waiters in order until `free` eligible ones are found (or the list ends). */
  private async check(section: Course, waiters: readonly Waiter[], free: number) {
    const checks: WaiterCheck[] = [];
    const facts = new Map<string, { waiter: Waiter; waitlistedElsewhere: string[] }>();
    let eligible = 0;
    for (const waiter of waiters) {
      if (eligible >= free) break;
      const { violations, waitlistedElsewhere } = await this.eligibility.checkPromotion(
        waiter.user_id,
        section,
      );
      checks.push({ user_id: waiter.user_id, violations });
      facts.set(waiter.user_id, { waiter, waitlistedElsewhere });
      if (violations.length === 0) eligible++;
    }
    return { checks, facts };
  }
}
