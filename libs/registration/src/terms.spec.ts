import { meetingProblems, meetingsOverlap } from './meetings';
import type { Meeting } from './registration.types';
import { calendarProblems, compareTerms, dropOutcome, opensAtFor } from './terms';
import { FALL_2026 } from './term.fixture';

const TERM = FALL_2026;

describe('compareTerms', () => {
  it.each([
    ['2026-FALL', '2027-SPRING', -1],
    ['2027-SPRING', '2027-SUMMER', -1],
    ['2027-SUMMER', '2027-FALL', -1],
    ['2027-WINTER', '2027-SPRING', -1],
    ['2027-FALL', '2026-FALL', 1],
    ['2026-FALL', '2026-FALL', 0],
    ['2026-FALL', 'custom-term', -1],
    ['custom-a', 'custom-b', -1],
  ])('%s vs %s → %i', (a, b, sign) => {
    expect(Math.sign(compareTerms(a, b))).toBe(sign);
  });
});

describe('the term calendar', () => {
  it("opens at the student's priority window, else the term's", () => {
    expect(opensAtFor(TERM, 'senior')).toBe('2026-07-28T09:00:00Z');
    expect(opensAtFor(TERM, 'junior')).toBe(TERM.registration_opens_at);
    expect(opensAtFor(TERM)).toBe(TERM.registration_opens_at);
  });

  it.each([
    ['2026-09-01T00:00:00Z', 'drop'],
    ['2026-09-20T23:59:59Z', 'drop'],
    ['2026-09-21T00:00:00Z', 'withdraw'],
    ['2026-11-01T23:59:59Z', 'withdraw'],
    ['2026-11-02T00:00:00Z', 'too-late'],
  ])('removing an enrollment at %s is a %s', (at, outcome) => {
    expect(dropOutcome(TERM, new Date(at))).toBe(outcome);
  });

  it('can always drop in a semester without a term', () => {
    expect(dropOutcome(null, new Date('2100-01-01T00:00:00Z'))).toBe('drop');
  });

  it('accepts ordered dates and names each date out of order', () => {
    expect(calendarProblems(TERM)).toEqual([]);
    expect(
      calendarProblems({
        ...TERM,
        add_deadline: '2026-07-01T00:00:00Z',
        priority_windows: [
          { group: 'senior', opens_at: '2026-07-28T09:00:00Z' },
          { group: 'senior', opens_at: '2026-06-01T00:00:00Z' },
        ],
      }),
    ).toEqual([
      'registration_opens_at must not be after add_deadline',
      'priority_windows.0.opens_at must not be after add_deadline',
      'priority_windows groups must be unique',
    ]);
    expect(calendarProblems({ ...TERM, add_deadline: '20260910T235959Z' })).toEqual([
      'add_deadline is not a readable date and time',
    ]);
    expect(calendarProblems({ ...TERM, withdraw_deadline: '2026-09-01T00:00:00Z' })).toEqual([
      'drop_deadline must not be after withdraw_deadline',
    ]);
  });
});

describe('meetings', () => {
  const m = (days: Meeting['days'], start: string, end: string): Meeting[] => [
    { days, start, end },
  ];
  it.each([
    [m(['MO', 'WE'], '09:00', '09:50'), m(['WE'], '09:30', '10:00'), true],
    [m(['MO', 'WE'], '09:00', '09:50'), m(['TU'], '09:30', '10:00'), false],
    [m(['MO'], '09:00', '09:50'), m(['MO'], '09:50', '10:40'), false],
    [m(['MO'], '09:00', '12:00'), m(['MO'], '10:00', '10:30'), true],
    [[], m(['MO'], '10:00', '10:30'), false],
  ])('%j and %j overlap: %s', (a, b, overlap) => {
    expect(meetingsOverlap(a, b)).toBe(overlap);
    expect(meetingsOverlap(b, a)).toBe(overlap);
  });

  it('names a meeting that does not run forwards', () => {
    expect(meetingProblems(m(['MO'], '09:00', '09:50'))).toEqual([]);
    expect(
      meetingProblems([...m(['MO'], '09:00', '09:50'), ...m(['TU'], '10:00', '10:00')]),
    ).toEqual(['meetings.1.start must be before end']);
  });
});
