import {
  joinOutcome,
  planPromotions,
  seatOpenForAdd,
  sweepDecision,
  waitlistKey,
} from './waitlist';

const seats = (over = {}) => ({
  capacity: 2,
  enrolled_count: 2,
  waitlist_capacity: 3,
  waitlist_count: 0,
  ...over,
});

describe('seatOpenForAdd (no queue-jumping)', () => {
  it.each([
    ['a free seat, nobody waiting', { enrolled_count: 1 }, true],
    ['no free seat', {}, false],
    ['a free seat while a student waits', { enrolled_count: 1, waitlist_count: 1 }, false],
    [
      'a free seat, students waiting, none eligible (open marker)',
      { enrolled_count: 1, waitlist_count: 1, waitlist_open: true },
      true,
    ],
    ['the open marker without a free seat', { waitlist_count: 1, waitlist_open: true }, false],
  ])('%s', (_, over, expected) => {
    expect(seatOpenForAdd(seats(over))).toBe(expected);
  });
});

describe('joinOutcome (an add with waitlist: true)', () => {
  it.each([
    ['a seat open to a plain add enrolls', { enrolled_count: 1 }, 'enroll'],
    ['a full section with room on the list joins', { waitlist_count: 2 }, 'join'],
    ['a free seat held for the waiting joins', { enrolled_count: 1, waitlist_count: 1 }, 'join'],
    ['a full list', { waitlist_count: 3 }, 'waitlist-full'],
    ['a section without a waitlist', { waitlist_capacity: 0 }, 'no-waitlist'],
  ])('%s', (_, over, expected) => {
    expect(joinOutcome(seats(over))).toBe(expected);
  });
});

describe('waitlistKey', () => {
  it('sorts by join time, then by id within a millisecond', () => {
    const t = new Date('2026-08-01T09:00:00.000Z');
    const keys = [
      waitlistKey(new Date(t.getTime() + 1), '01A'),
      waitlistKey(t, '01C'),
      waitlistKey(t, '01B'),
    ];
    expect([...keys].sort()).toEqual([keys[2], keys[1], keys[0]]);
    expect(keys[1]).toBe('2026-08-01T09:00:00.000Z#01C');
  });
});

describe('planPromotions', () => {
  const ok = (user_id: string) => ({ user_id, violations: [] });
  const no = (user_id: string) => ({ user_id, violations: [{ code: 'HOLD' }] });
  it.each([
    ['one seat: the first eligible', [ok('a'), ok('b')], 1, ['a'], [], false],
    ['skips an ineligible first student', [no('a'), ok('b'), ok('c')], 1, ['b'], ['a'], false],
    ['two seats, in order', [ok('a'), no('b'), ok('c'), ok('d')], 2, ['a', 'c'], ['b'], false],
    ['nobody eligible: seats open to all', [no('a'), no('b')], 1, [], ['a', 'b'], true],
    ['fewer eligible than seats', [ok('a'), no('b')], 2, ['a'], ['b'], true],
    ['no free seat: nothing to do', [ok('a')], 0, [], [], false],
    ['an empty list with a free seat', [], 1, [], [], true],
  ])('%s', (_, waiters, free, promote, skipped, openToAll) => {
    expect(planPromotions(waiters, free)).toEqual({ promote, skipped, openToAll });
  });
});

describe('sweepDecision (the add-deadline sweep job)', () => {
  const deadline = '2033-09-10T23:59:59Z';
  const after = new Date('2033-09-11T00:00:00Z');
  it.each([
    ['the deadline it was scheduled for, reached', { add_deadline: deadline }, after, 'due'],
    [
      'the same instant written differently',
      { add_deadline: '2033-09-10T23:59:59.000Z' },
      after,
      'due',
    ],
    ['reached exactly', { add_deadline: deadline }, new Date(deadline), 'due'],
    [
      'not reached yet (a lagging clock)',
      { add_deadline: deadline },
      new Date('2033-09-10T23:59:58Z'),
      'early',
    ],
    ['the deadline moved later', { add_deadline: '2033-09-17T23:59:59Z' }, after, 'moved'],
    ['the deadline moved earlier', { add_deadline: '2033-09-01T23:59:59Z' }, after, 'moved'],
    ['the term is gone', null, after, 'moved'],
  ])('%s', (_, term, now, expected) => {
    expect(sweepDecision(term, deadline, now)).toBe(expected);
  });
});
