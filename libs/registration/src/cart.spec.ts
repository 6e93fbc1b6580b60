import {
  CartLine,
  cartPlan,
  cartProblems,
  cartRejection,
  CartSnapshot,
  checkCart,
  rejectionOrder,
} from './cart';
import type { Permit, SectionFacts } from './registration.types';
import { FALL_2026, section } from './term.fixture';

const A = section('A1-2026-FALL');
const B = section('B1-2026-FALL');
const FULL = section('F1-2026-FALL', { capacity: 1, enrolled_count: 1 });
const BIG = section('G1-2026-FALL', { credits: 12 });

const W = section('W1-2026-FALL');
const capacityPermit: Permit = { course_id: 'F1-2026-FALL', type: 'CAPACITY' };

const snap = (
  held: SectionFacts[],
  adds: SectionFacts[],
  permits: Permit[] = [],
): CartSnapshot => ({
  student: { user_id: 's1', completed_courses: [], holds: [] },
  held,
  withdrawn: new Set([W.course_id]),
  permits,
  sections: new Map(adds.map((s) => [s.course_id, s])),
  terms: new Map([['2026-FALL', FALL_2026]]),
  defaultMaxCredits: 18,
  now: new Date('2026-08-15T12:00:00Z'),
});
const codes = (lines: ReturnType<typeof checkCart>) =>
  lines.map((l) => [l.course_id, l.action, l.violations.map((v) => v.code)]);

describe('checkCart', () => {
  it.each([
    ['a plain add', [], [B], ['B1-2026-FALL'], [], [['B1-2026-FALL', 'add', []]]],
    [
      'an unknown course',
      [],
      [],
      ['X1-2026-FALL'],
      [],
      [['X1-2026-FALL', 'add', ['COURSE_NOT_FOUND']]],
    ],
    ['a held add', [A], [A], ['A1-2026-FALL'], [], [['A1-2026-FALL', 'add', ['ALREADY_ENROLLED']]]],
    ['a drop not held', [], [], [], ['A1-2026-FALL'], [['A1-2026-FALL', 'drop', ['NOT_ENROLLED']]]],
    [
      'a swap into a full section',
      [A],
      [FULL],
      ['F1-2026-FALL'],
      ['A1-2026-FALL'],
      [
        ['F1-2026-FALL', 'add', ['COURSE_FULL']],
        ['A1-2026-FALL', 'drop', []],
      ],
    ],
    [
      'a swap whose drop frees the credits',
      [A],
      [BIG],
      ['G1-2026-FALL'],
      ['A1-2026-FALL'],
      [
        ['G1-2026-FALL', 'add', []],
        ['A1-2026-FALL', 'drop', []],
      ],
    ],
    [
      'an add past the credit limit',
      [A],
      [BIG],
      ['G1-2026-FALL'],
      [],
      [['G1-2026-FALL', 'add', ['CREDIT_LIMIT']]],
    ],
    [
      'a withdrawn section added again',
      [],
      [W],
      ['W1-2026-FALL'],
      [],
      [['W1-2026-FALL', 'add', ['ALREADY_WITHDRAWN']]],
    ],
    [
      'a withdrawn section dropped',
      [],
      [],
      [],
      ['W1-2026-FALL'],
      [['W1-2026-FALL', 'drop', ['ALREADY_WITHDRAWN']]],
    ],
  ] as const)('%s', (_, held, adds, add, drop, expected) => {
    expect(codes(checkCart(snap([...held], [...adds]), add, drop))).toEqual(expected);
  });

  it.each([
    ['up to the drop deadline', '2026-09-01T12:00:00Z', []],
    ['between the deadlines (a withdrawal)', '2026-10-01T12:00:00Z', []],
    ['after the withdrawal deadline', '2026-11-15T12:00:00Z', ['WITHDRAW_DEADLINE_PASSED']],
  ])('a held drop %s -> %j', (_, at, expected) => {
    const lines = checkCart({ ...snap([A], []), now: new Date(at) }, [], ['A1-2026-FALL']);
    expect(codes(lines)).toEqual([['A1-2026-FALL', 'drop', expected]]);
  });

  it('passes the permits to the rules: a CAPACITY permit opens a full section', () => {
    const lines = checkCart(snap([A], [FULL], [capacityPermit]), ['F1-2026-FALL'], []);
    expect(codes(lines)).toEqual([['F1-2026-FALL', 'add', []]]);
  });
});

describe('cartProblems', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `C${i}`);
  it.each([
    [ids(10), ids(10).map((i) => `D${i}`), undefined],
    [ids(11), [], 'CART_TOO_LARGE'],
    [[], ids(11), 'CART_TOO_LARGE'],
    [['C1'], ['C1'], 'CART_ADD_AND_DROP'],
  ])('add %j drop %j -> %s', (add, drop, problem) => {
    expect(cartProblems(add, drop)).toBe(problem);
  });
});

describe('cartRejection', () => {
  const v = (code: string, course_id: string) => ({ code, course_id, message: code });
  const line = (course_id: string, ...violations: ReturnType<typeof v>[]): CartLine =>
    ({
      course_id,
      action: 'add',
      ok: violations.length === 0,
      violations,
    }) as CartLine;
  it.each([
    ['a cart that fits', [line('A'), line('B')], []],
    ['a lone COURSE_FULL', [line('A', v('COURSE_FULL', 'A'))], ['COURSE_FULL:A']],
    [
      'every line in cart order',
      [line('A', v('HOLD', 'A'), v('TIME_CONFLICT', 'A')), line('B', v('NOT_ENROLLED', 'B'))],
      ['HOLD:A', 'TIME_CONFLICT:A', 'NOT_ENROLLED:B'],
    ],
    [
      'COURSE_FULL after every other violation',
      [line('A', v('COURSE_FULL', 'A')), line('B', v('CREDIT_LIMIT', 'B'), v('COURSE_FULL', 'B'))],
      ['CREDIT_LIMIT:B', 'COURSE_FULL:A', 'COURSE_FULL:B'],
    ],
  ])('%s', (_, lines, expected) => {
    expect(cartRejection(lines).map((x) => `${x.code}:${x.course_id}`)).toEqual(expected);
  });
});

describe('cartPlan', () => {
  const C = section('C1-2026-FALL', { credits: 3 });
  const SPRING = section('S1-2027-SPRING', { semester_id: '2027-SPRING', credits: 5 });

  it('a swap: the add with its permit, the drop, the credits the term is left with', () => {
    const sut = cartPlan(
      snap([A, C], [B, FULL], [capacityPermit]),
      ['B1-2026-FALL', 'F1-2026-FALL'],
      ['A1-2026-FALL'],
    );
    expect(sut).toEqual({
      adds: [
        {
          course_id: 'B1-2026-FALL',
          semester_id: '2026-FALL',
          over_capacity: false,
          waitlist: false,
          waitlisted_elsewhere: [],
        },
        {
          course_id: 'F1-2026-FALL',
          semester_id: '2026-FALL',
          over_capacity: true,
          waitlist: false,
          waitlisted_elsewhere: [],
        },
      ],
      drops: [
        {
          course_id: 'A1-2026-FALL',
          semester_id: '2026-FALL',
          outcome: 'drop',
          has_waitlist: false,
        },
      ],
      terms: [{ term_id: '2026-FALL', credits: 3 + 4 + 4 }],
    });
  });

  it('a drop after the drop deadline is a withdrawal (no credits left for it)', () => {
    const sut = cartPlan(
      { ...snap([A, C], []), now: new Date('2026-10-01T12:00:00Z') },
      [],
      ['A1-2026-FALL'],
    );
    expect(sut.drops).toEqual([
      {
        course_id: 'A1-2026-FALL',
        semester_id: '2026-FALL',
        outcome: 'withdraw',
        has_waitlist: false,
      },
    ]);
    expect(sut.terms).toEqual([{ term_id: '2026-FALL', credits: 3 }]);
  });

  it('an expired CAPACITY permit does not take a seat past capacity', () => {
    const expired = { ...capacityPermit, expires_at: '2026-08-01T00:00:00Z' };
    const sut = cartPlan(snap([], [FULL], [expired]), ['F1-2026-FALL'], []);
    expect(sut.adds[0].over_capacity).toBe(false);
  });

  it('one entry per term touched, each with only its own credits', () => {
    const sut = cartPlan(snap([A], [SPRING]), ['S1-2027-SPRING'], []);
    expect(sut.terms).toEqual([{ term_id: '2027-SPRING', credits: 5 }]);
  });
});

describe('a cart with waitlist: true (DESIGN §9)', () => {
  // Full, with room on its list; full with a full list; full without a list; seats held for waiters.
  const ROOM = section('R1-2026-FALL', { capacity: 1, enrolled_count: 1, waitlist_capacity: 2 });
  const LISTFULL = section('L1-2026-FALL', {
    capacity: 1,
    enrolled_count: 1,
    waitlist_capacity: 1,
    waitlist_count: 1,
  });
  const HELD = section('H1-2026-FALL', { waitlist_capacity: 3, waitlist_count: 1 });
  const lines = (s: CartSnapshot, add: string[], drop: string[], waitlist: boolean) =>
    checkCart(s, add, drop, { waitlist }).map((l) => [
      l.course_id,
      l.violations.map((v) => v.code),
      l.waitlisted ?? false,
    ]);

  it.each([
    [
      'a full section with room joins',
      [ROOM],
      ['R1-2026-FALL'],
      true,
      [['R1-2026-FALL', [], true]],
    ],
    [
      'without the flag it is COURSE_FULL',
      [ROOM],
      ['R1-2026-FALL'],
      false,
      [['R1-2026-FALL', ['COURSE_FULL'], false]],
    ],
    [
      'a full list is WAITLIST_FULL',
      [LISTFULL],
      ['L1-2026-FALL'],
      true,
      [['L1-2026-FALL', ['WAITLIST_FULL'], false]],
    ],
    [
      'no list stays COURSE_FULL',
      [FULL],
      ['F1-2026-FALL'],
      true,
      [['F1-2026-FALL', ['COURSE_FULL'], false]],
    ],
    ['a seat held for waiters joins', [HELD], ['H1-2026-FALL'], true, [['H1-2026-FALL', [], true]]],
    ['an open seat is an enroll', [B], ['B1-2026-FALL'], true, [['B1-2026-FALL', [], false]]],
  ] as const)('%s', (_, adds, add, waitlist, expected) => {
    expect(lines(snap([], [...adds]), [...add], [], waitlist)).toEqual(expected);
  });

  it('a join is checked as an add: its credits count against the limit', () => {
    const big = section('R2-2026-FALL', {
      ...ROOM,
      course_id: 'R2-2026-FALL',
      course_code: 'R2',
      credits: 12,
    });
    expect(lines(snap([A], [big]), ['R2-2026-FALL'], [], true)).toEqual([
      ['R2-2026-FALL', ['CREDIT_LIMIT'], false],
    ]);
  });

  it('a section the student already waits for is ALREADY_WAITLISTED', () => {
    const s = { ...snap([], [ROOM]), waitlisted: [ROOM] };
    expect(lines(s, ['R1-2026-FALL'], [], true)).toEqual([
      ['R1-2026-FALL', ['ALREADY_WAITLISTED'], false],
    ]);
  });

  it('WAITLIST_FULL, like COURSE_FULL, comes after every other violation', () => {
    const v = (code: string) => ({ code, course_id: 'X', message: code }) as never;
    expect(
      rejectionOrder([v('WAITLIST_FULL'), v('HOLD')]).map((x: { code: string }) => x.code),
    ).toEqual(['HOLD', 'WAITLIST_FULL']);
  });

  it('plans the join without credits; an enroll leaves the other sections of the course it waits for', () => {
    const C2 = section('C2-2026-FALL', { course_code: 'CX' });
    const C3 = section('C3-2026-FALL', {
      course_code: 'CX',
      capacity: 1,
      enrolled_count: 1,
      waitlist_capacity: 2,
    });
    const sut = cartPlan(
      { ...snap([A], [ROOM, C2]), waitlisted: [C3] },
      ['R1-2026-FALL', 'C2-2026-FALL'],
      [],
      { waitlist: true },
    );
    expect(sut.adds.map((a) => [a.course_id, a.waitlist, a.waitlisted_elsewhere])).toEqual([
      ['R1-2026-FALL', true, []],
      ['C2-2026-FALL', false, ['C3-2026-FALL']],
    ]);
    expect(sut.terms).toEqual([{ term_id: '2026-FALL', credits: 4 + 4 }]);
  });

  it('a CAPACITY permit takes the seat instead of joining', () => {
    const s = snap([], [ROOM], [{ course_id: 'R1-2026-FALL', type: 'CAPACITY' }]);
    expect(cartPlan(s, ['R1-2026-FALL'], [], { waitlist: true }).adds[0]).toMatchObject({
      waitlist: false,
      over_capacity: true,
    });
  });
});
