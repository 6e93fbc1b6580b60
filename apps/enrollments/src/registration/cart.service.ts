import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@app/auth';
import { counter, DomainError } from '@app/common';
import {
  CartCancelled,
  cartFingerprint,
  CartRepository,
  CartResult,
  CartSubmitResult,
  IdempotencyInProgress,
  WaitlistRepository,
} from '@app/data';
import type { CartIdempotency } from '@app/data';
import { EMAIL_DISPATCH } from '@app/messaging';
import type { EmailDispatch } from '@app/messaging';
import { cartPlan, cartRejection, checkCart, rejectionOrder } from '@app/registration';
import { EligibilityLoader, RegistrationRejected } from './eligibility.loader';
import { RejectionLog } from './rejection-log';

/** The first try and up to three re-validations after another write of the schedule won. */
export const SUBMIT_ATTEMPTS = 4;

const scheduleConflicts = counter(
  'registration_cart_schedule_conflicts_total',
  "Cart submits cancelled because the student's schedule changed since their snapshot, by what followed",
  ['then'],
);

export class ConcurrentUpdate extends DomainError {
  constructor() {
    super(
      'CONCURRENT_UPDATE',
      'your schedule kept changing while this cart was checked; retry',
      {},
      1,
    );
  }
}

export interface SubmitAnswer {
  status: number;
  body: unknown;
  replayed: boolean;
}

/**
 * The atomic cart submit (DESIGN §8): the cart is checked on one snapshot with the function validate
 * uses, then written in one TransactWriteItems conditioned on the schedule versions read before the
 * rows. Another write of the schedule in between cancels it: the cart is re-loaded and re-checked,
 * up to SUBMIT_ATTEMPTS in all, then 409 CONCURRENT_UPDATE.
 */
@Injectable()
export class CartService {
  constructor(
    private readonly eligibility: EligibilityLoader,
    private readonly carts: CartRepository,
    @Inject(EMAIL_DISPATCH) private readonly email: EmailDispatch,
    private readonly rejections: RejectionLog,
    private readonly waitlists: WaitlistRepository,
  ) {}

  /**
   * Submits the cart (`waitlist`: a full section's add joins its waitlist); a refused add is also
   * recorded in the student's history (best effort).
   */
  async submit(
    user: AuthUser,
    add: string[],
    drop: string[],
    clientKey?: string,
    waitlist = false,
  ): Promise<SubmitAnswer> {
    try {
      return await this.write(user, add, drop, clientKey, waitlist);
    } catch (err) {
      await this.rejections.record(user, add, err);
      throw err;
    }
  }

  private async write(
    user: AuthUser,
    add: string[],
    drop: string[],
    clientKey: string | undefined,
    waitlist: boolean,
  ): Promise<SubmitAnswer> {
    const opts = { waitlist };
    const idem: CartIdempotency | undefined = clientKey
      ? { clientKey, fingerprint: cartFingerprint(add, drop, waitlist) }
      : undefined;
    if (idem) {
      const stored = await this.carts.replay(user.sub, idem);
      if (stored) return answer(stored);
    }
    for (let attempt = 1; ; attempt++) {
      const { snapshot, versions } = await this.eligibility.loadCart(user.sub, add, drop);
      const violations = cartRejection(checkCart(snapshot, add, drop, opts));
      if (violations.length > 0) {
        // A retry of a submit whose answer was lost (a timeout after its commit) can read the rows
        // that submit wrote (ALREADY_ENROLLED) when the key was read just before it committed: the
        // record commits with those rows, so it is there now, and the client gets that first answer.
        const stored = idem && (await this.carts.replay(user.sub, idem));
        if (stored) return answer(stored);
        throw new RegistrationRejected(violations);
      }
      const plan = cartPlan(snapshot, add, drop, opts);
      let result: CartSubmitResult;
      try {
        result = await this.carts.submit(
          {
            userId: user.sub,
            actor: user.sub,
            email: user.email,
            adds: plan.adds.map((a) => ({
              courseId: a.course_id,
              semesterId: a.semester_id,
              overCapacity: a.over_capacity,
              waitlist: a.waitlist,
              waitlistedElsewhere: a.waitlisted_elsewhere,
            })),
            drops: plan.drops.map((d) => ({
              courseId: d.course_id,
              semesterId: d.semester_id,
              outcome: d.outcome,
              hasWaitlist: d.has_waitlist,
            })),
            schedules: plan.terms.map((t) => ({
              termId: t.term_id,
              readVersion: versions.get(t.term_id)?.version,
              credits: t.credits,
            })),
            at: snapshot.now,
          },
          idem,
        );
      } catch (err) {
        if (!(err instanceof CartCancelled)) throw err;
        const c = err.cancellation;
        // The seat the snapshot saw went before the write: with `waitlist`, it may now be a join.
        const seatWent =
          waitlist &&
          c.kind === 'violations' &&
          c.violations.every((v) => v.code === 'COURSE_FULL' && v.waitlist_available === true);
        if (c.kind === 'schedule-changed' || seatWent) {
          const giveUp = attempt >= SUBMIT_ATTEMPTS;
          scheduleConflicts.inc({ then: giveUp ? 'gave_up' : 'revalidated' });
          if (giveUp) throw new ConcurrentUpdate();
          // Spread the re-tries of racing submits so they do not collide again in step.
          await new Promise((r) => setTimeout(r, Math.random() * 25 * attempt));
          continue;
        }
        if (c.kind === 'violations') throw new RegistrationRejected(rejectionOrder(c.violations));
        if (c.kind === 'idempotency-in-progress') throw new IdempotencyInProgress();
        throw new Error(c.message);
      }
      if (result.replayed) return answer(result);
      const placed = await this.withPositions(result);
      await this.email.dispatch(placed.event);
      return answer(placed);
    }
  }

  /** The waitlisted lines' positions, counted once committed, in the answer and the email. */
  private async withPositions(
    r: Extract<CartSubmitResult, { replayed: false }>,
  ): Promise<Extract<CartSubmitResult, { replayed: false }>> {
    if (r.waitlistKeys.size === 0) return r;
    const positions = new Map(
      await Promise.all(
        [...r.waitlistKeys].map(
          async ([courseId, key]) =>
            [courseId, await this.waitlists.positionOfKey(courseId, key)] as const,
        ),
      ),
    );
    const place = <T extends { course_id: string; action: string }>(line: T): T =>
      line.action === 'add' && positions.has(line.course_id)
        ? { ...line, position: positions.get(line.course_id) }
        : line;
    return {
      ...r,
      results: r.results.map(place),
      event: { ...r.event, changes: r.event.changes?.map(place) },
    };
  }
}

const answer = (r: CartSubmitResult): SubmitAnswer =>
  r.replayed
    ? { status: r.status, body: r.body, replayed: true }
    : { status: 201, body: { results: r.results satisfies CartResult[] }, replayed: false };
