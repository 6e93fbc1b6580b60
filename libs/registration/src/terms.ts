import type { TermCalendar } from './registration.types';

const SEASONS = ['WINTER', 'SPRING', 'SUMMER', 'FALL'];

/**
 * Orders term ids of the form `YYYY-SEASON` (`2026-FALL` < `2027-SPRING`); ids of another form
 * compare as text, after those.
 */
export function compareTerms(a: string, b: string): number {
  const key = (id: string): [number, number] | undefined => {
    const m = /^(\d{4})-([A-Z]+)$/.exec(id);
    const season = m ? SEASONS.indexOf(m[2]) : -1;
    return m && season >= 0 ? [Number(m[1]), season] : undefined;
  };
  const [ka, kb] = [key(a), key(b)];
  if (ka && kb) return ka[0] - kb[0] || ka[1] - kb[1];
  if (ka) return -1;
  if (kb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** When registration opens for a student: their priority group's window, else the term's. */
export function opensAtFor(term: TermCalendar, priorityGroup?: string): string {
  const window = term.priority_windows?.find((w) => w.group === priorityGroup);
  return window?.opens_at ?? term.registration_opens_at;
}

export type DropOutcome = 'drop' | 'withdraw' | 'too-late';

/**
 * What removing an enrollment means at `now`: up to the drop deadline it is dropped (no record);
 * then, up to the withdrawal deadline, a withdrawal (a W on the record, the seat freed, no credits);
 * later it is refused. A semester without a term can always be dropped.
 */
export function dropOutcome(term: TermCalendar | null, now: Date): DropOutcome {
  if (!term) return 'drop';
  const t = now.getTime();
  if (t <= Date.parse(term.drop_deadline)) return 'drop';
  if (t <= Date.parse(term.withdraw_deadline)) return 'withdraw';
  return 'too-late';
}

/** The calendar's own consistency (DESIGN §8); each problem names its field. */
export function calendarProblems(term: Omit<TermCalendar, 'term_id' | 'max_credits'>): string[] {
  const problems: string[] = [];
  const dates = [
    ...(
      ['registration_opens_at', 'add_deadline', 'drop_deadline', 'withdraw_deadline'] as const
    ).map((f) => [f, term[f]] as const),
    ...(term.priority_windows ?? []).map(
      (w, i) => [`priority_windows.${i}.opens_at`, w.opens_at] as const,
    ),
  ];
  const unreadable = dates.filter(([, v]) => Number.isNaN(Date.parse(v)));
  if (unreadable.length > 0) return unreadable.map(([f]) => `${f} is not a readable date and time`);
  const order = [
    'registration_opens_at',
    'add_deadline',
    'drop_deadline',
    'withdraw_deadline',
  ] as const;
  for (let i = 1; i < order.length; i++) {
    if (Date.parse(term[order[i - 1]]) > Date.parse(term[order[i]]))
      problems.push(`${order[i - 1]} must not be after ${order[i]}`);
  }
  for (const [i, w] of (term.priority_windows ?? []).entries()) {
    if (Date.parse(w.opens_at) > Date.parse(term.add_deadline))
      problems.push(`priority_windows.${i}.opens_at must not be after add_deadline`);
  }
  const groups = (term.priority_windows ?? []).map((w) => w.group);
  if (new Set(groups).size !== groups.length)
    problems.push('priority_windows groups must be unique');
  return problems;
}
