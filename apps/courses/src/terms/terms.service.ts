import { Injectable } from '@nestjs/common';
import { validationFailed } from '@app/common';
import { Term, TERM_DEFAULTS, TermNotFound, TermsRepository } from '@app/data';
import { calendarProblems } from '@app/registration';
import { PutTermDto } from './dto/term.dto';

@Injectable()
export class TermsService {
  constructor(private readonly terms: TermsRepository) {}

  /** Creates or replaces a term; a calendar out of order is refused whole, naming each problem. */
  async put(termId: string, dto: PutTermDto): Promise<{ term: Term; created: boolean }> {
    const problems = calendarProblems(dto);
    if (problems.length > 0) throw validationFailed(problems.join('; '));
    const term: Term = {
      term_id: termId,
      name: dto.name,
      registration_opens_at: dto.registration_opens_at,
      // Plain objects: the document client refuses class instances (the DTO's nested windows).
      ...(dto.priority_windows
        ? {
            priority_windows: dto.priority_windows.map(({ group, opens_at }) => ({
              group,
              opens_at,
            })),
          }
        : {}),
      add_deadline: dto.add_deadline,
      drop_deadline: dto.drop_deadline,
      withdraw_deadline: dto.withdraw_deadline,
      max_credits: dto.max_credits ?? TERM_DEFAULTS.max_credits,
      waitlist_mode: dto.waitlist_mode ?? TERM_DEFAULTS.waitlist_mode,
      offer_hold_minutes: dto.offer_hold_minutes ?? TERM_DEFAULTS.offer_hold_minutes,
      updated_at: new Date().toISOString(),
    };
    // The term.saved event written with it schedules the add-deadline sweep, through the outbox
    // relay (this app opens no queue connection, as for capacity raises).
    const { created } = await this.terms.put(term);
    return { term, created };
  }

  async get(termId: string): Promise<Term> {
    const term = await this.terms.get(termId);
    if (!term) throw new TermNotFound(termId);
    return term;
  }

  async list(): Promise<{ items: Term[] }> {
    return { items: await this.terms.list() };
  }
}
