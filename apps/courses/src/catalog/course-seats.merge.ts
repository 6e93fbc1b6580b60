import { Inject, Injectable } from '@nestjs/common';
import { FragmentCache, KeyedSplice } from '@app/cache';
import type { ResponseMerge } from '@app/cache';
import { catalogConfig } from '@app/common';
import type { CatalogConfig } from '@app/common';
import { CoursesRepository, Tags } from '@app/data';
import { SeatFields, seatStatus } from '@app/registration';

/** The seat fields as inserted after an item's `"course_id":"<id>"` (a JSON member list). */
export const seatMembers = (s: SeatFields): string =>
  `,"seats_available":${s.seats_available},"waitlist_count":${s.waitlist_count},"status":"${s.status}"`;

/** A listed course the base table no longer has (deleted; its page not reloaded yet): nothing to take. */
/** The fragment kind of a course's seat fields (in keys and metrics). */
const SEATS = 'seats';
const GONE = seatMembers({ seats_available: 0, waitlist_count: 0, status: 'full' });

/**
 * Class search shows seats (DESIGN §8): every item of a course list page gets its course's live
 * seat fields, while the page itself (stable fields, from a GSI) stays cached long and is never
 * invalidated by enrollments. The seats of the page's ids come from the fragment cache (one entry
 * per course under its `seats:<id>` tag, which every enroll and drop bumps) and, for those it lacks,
 * one consistent BatchGet of the volatile attributes. The page is merged as text: no parse.
 */
@Injectable()
export class CourseSeatsMerge implements ResponseMerge {
  constructor(
    private readonly courses: CoursesRepository,
    private readonly fragments: FragmentCache,
    @Inject(catalogConfig.KEY) private readonly config: CatalogConfig,
  ) {}

  async merge(body: string): Promise<string> {
    const splice = this.spliceOf(body);
    if (!splice) return body;
    const seats = await this.fragments.getMany({
      name: SEATS,
      ids: splice.values,
      tagOf: Tags.seats,
      ttlMs: this.config.seatsTtlMs,
      load: async (ids) => {
        const counts = await this.courses.seatCounts(ids);
        return new Map([...counts].map(([id, c]) => [id, seatMembers(seatStatus(c))]));
      },
    });
    return splice.applyMap(seats, GONE);
  }

  mergeHeld(body: string): string | undefined {
    const splice = this.spliceOf(body);
    if (!splice) return body;
    const seats = this.fragments.held({ name: SEATS, ids: splice.values });
    return seats && splice.applyMap(seats, GONE);
  }

  /** Where the page's course ids are; undefined when there is nothing to merge. */
  private spliceOf(body: string): KeyedSplice | undefined {
    if (!this.config.seatsInList) return undefined;
    const splice = KeyedSplice.of(body, 'course_id');
    return splice.values.length === 0 ? undefined : splice;
  }
}
