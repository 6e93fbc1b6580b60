import {
  checkEmails,
  checkSeats,
  emailsImplied,
  HistoryEvent,
  promotionLatenciesMs,
  promotionsInOrder,
  statusKey,
  summarize,
  waitlistInJoinOrder,
} from './rush-checks';

const ev = (event_id: string, type: string, user_id: string, at: string): HistoryEvent => ({
  event_id,
  type,
  user_id,
  at,
});

describe('checkSeats', () => {
  const ok = {
    course_id: 'A',
    capacity: 10,
    enrolled_count: 10,
    enrolled_rows: 10,
    waitlist_count: 3,
  };

  it.each([
    ['a full section, counter = rows', [ok], true, [], []],
    ['oversold', [{ ...ok, enrolled_count: 11, enrolled_rows: 11 }], false, ['A'], []],
    ['counter off its rows', [{ ...ok, enrolled_count: 9 }], false, [], ['A']],
  ])('%s', (_name, sections, pass, oversold, mismatched) => {
    expect(checkSeats(sections)).toEqual({ pass, sections: sections.length, oversold, mismatched });
  });
});

describe('waitlistInJoinOrder', () => {
  const history = [
    ev('01', 'waitlisted', 'u1', '2026-12-03T10:00:00.001Z'),
    ev('02', 'waitlisted', 'u2', '2026-12-03T10:00:00.002Z'),
    ev('03', 'waitlisted', 'u3', '2026-12-03T10:00:00.002Z'),
    ev('04', 'enrolled', 'u9', '2026-12-03T10:00:00.000Z'),
  ];
  const w = (...users: string[]) => users.map((user_id) => ({ user_id, waitlisted_at: '' }));

  it.each([
    ['join order', w('u1', 'u2', 'u3'), true, 0],
    ['a tie within one millisecond either way', w('u1', 'u3', 'u2'), true, 0],
    ['a later joiner ahead of an earlier one', w('u2', 'u1', 'u3'), false, 1],
    ['a joiner missing from the list', w('u1', 'u2'), false, 0],
    ['a listed student History never saw join', w('u1', 'u2', 'u3', 'u4'), false, 1],
  ])('%s', (_name, list, pass, outOfOrder) => {
    const r = waitlistInJoinOrder(list, history);
    expect(r.pass).toBe(pass);
    expect(r.out_of_order).toBe(outOfOrder);
  });
});

describe('promotionsInOrder', () => {
  const before = ['u1', 'u2', 'u3'].map((user_id) => ({ user_id, waitlisted_at: '' }));
  const promoted = (...users: string[]) =>
    users.map((u, i) => ev(`1${i}`, 'promoted', u, `2026-12-03T10:00:0${i}.000Z`));

  it.each([
    ['the head of the list, in order', promoted('u1', 'u2'), 2, true],
    ['out of order', promoted('u2', 'u1'), 2, false],
    ['one seat freed but not filled', promoted('u1'), 2, false],
    ['more drops than waiters: everyone', promoted('u1', 'u2', 'u3'), 5, true],
  ])('%s', (_name, history, drops, pass) => {
    expect(promotionsInOrder(before, history, drops).pass).toBe(pass);
  });
});

describe('promotionLatenciesMs', () => {
  it('pairs the k-th freed seat with the k-th promotion', () => {
    const history = [
      ev('1', 'dropped', 'a', '2026-12-03T10:00:00.000Z'),
      ev('2', 'dropped', 'b', '2026-12-03T10:00:00.100Z'),
      ev('3', 'promoted', 'x', '2026-12-03T10:00:00.250Z'),
      ev('4', 'promoted', 'y', '2026-12-03T10:00:00.400Z'),
      ev('5', 'enrolled', 'z', '2026-12-03T10:00:00.500Z'),
    ];
    expect(promotionLatenciesMs(history)).toEqual([250, 300]);
  });
});

describe('emailsImplied', () => {
  it('counts one email per change, a cart (lines at one time) once, silent entries not at all', () => {
    const t = (ms: number) => `2026-12-03T10:00:00.${String(ms).padStart(3, '0')}Z`;
    expect(
      emailsImplied([
        ev('1', 'enrolled', 'u', t(1)),
        ev('2', 'enrolled', 'u', t(1)),
        ev('3', 'enrolled', 'u', t(1)),
        ev('4', 'waitlisted', 'u', t(5)),
        ev('5', 'add_rejected', 'u', t(6)),
        ev('6', 'dropped', 'u', t(7)),
        ev('7', 'promoted', 'u', t(9)),
        ev('8', 'waitlist_removed', 'u', t(9)),
      ]),
    ).toBe(4);
  });

  it('counts a cart that enrolled some lines and waitlisted others as one email', () => {
    const at = '2026-12-03T10:00:00.001Z';
    expect(
      emailsImplied([
        ev('1', 'enrolled', 'u', at),
        ev('2', 'waitlisted', 'u', at),
        ev('3', 'waitlisted', 'u', at),
      ]),
    ).toBe(1);
  });
});

describe('checkEmails', () => {
  it.each([
    ['one per change', ['<a>', '<b>'], 2, true, 0],
    ['a duplicate', ['<a>', '<a>', '<b>'], 2, false, 1],
    ['one missing', ['<a>'], 2, false, 0],
  ])('%s', (_name, ids, expected, pass, duplicated) => {
    const r = checkEmails(ids, expected);
    expect(r.pass).toBe(pass);
    expect(r.duplicated).toBe(duplicated);
    expect(r.delivered).toBe(ids.length);
  });
});

describe('summarize and statusKey', () => {
  it('gives nearest-rank percentiles, null when empty', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(summarize(values)).toEqual({ count: 100, p50_ms: 50, p99_ms: 99, max_ms: 100 });
    expect(summarize([])).toEqual({ count: 0, p50_ms: null, p99_ms: null, max_ms: null });
  });

  it('names error codes beside the status', () => {
    expect(statusKey(201, undefined)).toBe('201');
    expect(statusKey(409, 'COURSE_FULL')).toBe('409 COURSE_FULL');
    expect(statusKey(200, 'X')).toBe('200');
  });
});
