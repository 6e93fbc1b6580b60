import { Inject, Injectable, Logger } from '@nestjs/common';
import { ResponseCache } from '@app/cache';
import { Clock, counter } from '@app/common';
import { CoursesRepository, Tags, TermsRepository, Waiter, WaitlistRepository } from '@app/data';
import { EMAIL_DISPATCH } from '@app/messaging';
import type { EmailDispatch } from '@app/messaging';
import { sweepDecision, SweepDecision } from '@app/registration';
import { WaitlistIndexLag } from './promotion.service';

export const deadlineRemovals = counter(
  'waitlist_deadline_removed_total',
  'Waitlist rows removed at the add deadline, by the status they had',
  ['status'],
);

const SECTIONS_PAGE = 100;

export interface SweepResult {
  decision: SweepDecision;
  sections: number;
  removed: number;
}

/** The job reached the worker before the worker's clock reached the deadline: retried (backoff). */
export class SweepTooEarly extends Error {}

/**
 * The add-deadline sweep of one term (DESIGN §9): every remaining waitlist row of the term's
 * sections, waitlisted or an open offer, is removed in its own transaction conditioned on it still
 * being one, with history and one email each. Idempotent: a re-run (a retry, a crash mid-sweep, a
 * second delivery) finds only what is left. Waitlisted rows go first, then offers: the seats the
 * offers held are not offered again (adds are closed; the removal event is no promotion cue).
 */
@Injectable()
export class DeadlineSweepService {
  private readonly logger = new Logger(DeadlineSweepService.name);

  constructor(
    private readonly terms: TermsRepository,
    private readonly courses: CoursesRepository,
    private readonly waitlists: WaitlistRepository,
    private readonly cache: ResponseCache,
    private readonly clock: Clock,
    @Inject(EMAIL_DISPATCH) private readonly email: EmailDispatch,
  ) {}

  /** The job of (`termId`, `addDeadline`): a no-op unless that is still the term's add deadline. */
  async sweep(termId: string, addDeadline: string): Promise<SweepResult> {
    const decision = sweepDecision(await this.terms.get(termId), addDeadline, this.clock.now());
    const result: SweepResult = { decision, sections: 0, removed: 0 };
    if (decision === 'early') throw new SweepTooEarly(`${termId}: add deadline ${addDeadline}`);
    if (decision === 'moved') return result;
    let cursor: string | undefined;
    do {
      const page = await this.courses.listBySemester({
        semesterId: termId,
        limit: SECTIONS_PAGE,
        cursor,
      });
      for (const section of page.items) {
        result.sections++;
        result.removed += await this.sweepSection(section.course_id, termId);
      }
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    this.logger.log(
      `add-deadline sweep of ${termId}: ${result.removed} waitlist row(s) removed in ${result.sections} section(s)`,
    );
    return result;
  }

  private async sweepSection(courseId: string, termId: string): Promise<number> {
    const removed: string[] = [];
    const remove = async (w: Waiter, offered: boolean) => {
      const event = await this.waitlists.removeAtDeadline({
        userId: w.user_id,
        courseId,
        semesterId: w.semester_id ?? termId,
        offered,
        email: w.email,
      });
      if (!event) return; // gone meanwhile (left, declined, lapsed, or an earlier run)
      removed.push(w.user_id);
      deadlineRemovals.inc({ status: offered ? 'offered' : 'waitlisted' });
      await this.email.dispatch(event);
    };
    try {
      for (const w of await this.waitlists.waiters(courseId)) await remove(w, false);
      for (const w of await this.waitlists.offersOf(courseId)) await remove(w, true);
    } finally {
      if (removed.length > 0)
        await this.cache.invalidate([
          Tags.seats(courseId),
          Tags.roster(courseId),
          ...removed.map((u) => Tags.userEnrollments(u)),
        ]);
    }
    // The index is eventually consistent: a row it did not show yet is still counted.
    const section = await this.courses.get(courseId);
    if (section && section.waitlist_count > 0) throw new WaitlistIndexLag(courseId);
    return removed.length;
  }
}
