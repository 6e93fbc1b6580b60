import { Injectable } from '@nestjs/common';
import { FragmentCache } from '@app/cache';
import { Tags, Term, TermsRepository } from '@app/data';

/** How long a term's calendar stays in Redis unread: the `term:<id>` tag keeps it exact, this bounds memory. */
export const TERM_CALENDAR_TTL_MS = 5 * 60_000;

/**
 * The term calendars the registration rules read (windows, deadlines, credit limit), cached: every
 * enroll, cart, drop and promotion walk needs its term, and a term changes a few times a semester.
 * Each is a fragment stored under the current version of its `term:<id>` tag, in L1 and Redis
 * (FragmentCache), so the courses app's PUT /api/terms, which bumps that tag, makes the next read
 * load it again on every instance (through the tag bus; a lost message costs at most
 * CACHE_L1_TTL_MS). "No term" is cached too (a semester without one is always open). Fails open:
 * with Redis away or the cache off, the term is read from DynamoDB.
 *
 * @nestjs/cache-manager's CACHE_MANAGER would not serve here: it has no tag versions, so the
 * courses app's write could not invalidate the enrollments app's copy without a second channel.
 */
@Injectable()
export class TermCalendars {
  constructor(
    private readonly fragments: FragmentCache,
    private readonly terms: TermsRepository,
  ) {}

  async get(termId: string): Promise<Term | null> {
    const found = await this.fragments.getMany({
      name: 'term',
      ids: [termId],
      tagOf: Tags.term,
      ttlMs: TERM_CALENDAR_TTL_MS,
      load: async ([id]) => new Map([[id, JSON.stringify(await this.terms.get(id))]]),
    });
    return JSON.parse(found.get(termId)!) as Term | null;
  }
}
