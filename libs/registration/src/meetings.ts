import type { Meeting } from './registration.types';

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Two meeting patterns overlap when they share a day and their spans intersect (end is exclusive). */
export function meetingsOverlap(a: readonly Meeting[], b: readonly Meeting[]): boolean {
  return a.some((x) =>
    b.some(
      (y) =>
        x.days.some((d) => y.days.includes(d)) &&
        minutes(x.start) < minutes(y.end) &&
        minutes(y.start) < minutes(x.end),
    ),
  );
}

/** A meeting's own problems: a span that does not run forwards. */
export function meetingProblems(meetings: readonly Meeting[]): string[] {
  return meetings.flatMap((m, i) =>
    minutes(m.start) < minutes(m.end) ? [] : [`meetings.${i}.start must be before end`],
  );
}
