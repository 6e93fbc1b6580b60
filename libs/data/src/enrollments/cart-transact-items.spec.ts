import { walksOf } from '../outbox';
import { tableNames } from '../tables';
import { CancellationReason } from '../kit/transaction';
import { cartCancellation, cartTransaction, CartWrite } from './cart-transact-items';

const tables = tableNames('t_');
const cart = (over: Partial<CartWrite> = {}): CartWrite => ({
  userId: 's1',
  actor: 's1',
  email: 's1@example.edu',
  adds: [
    { courseId: 'B1', semesterId: '2026-FALL', overCapacity: false },
    { courseId: 'C1', semesterId: '2026-FALL', overCapacity: true },
  ],
  drops: [{ courseId: 'A1', semesterId: '2026-FALL', outcome: 'drop' }],
  schedules: [{ termId: '2026-FALL', readVersion: 3, credits: 8 }],
  at: new Date('2026-08-15T12:00:00Z'),
  ...over,
});
/** Each item as "<operation> <table> <key>", to read the transaction's shape at a glance. */
const shape = (items: ReturnType<typeof cartTransaction>['items']) =>
  items.map((i) => {
    const [op, body] = Object.entries(i)[0] as [string, { TableName: string; Key?: object }];
    return `${op} ${body.TableName}${body.Key ? ` ${Object.values(body.Key).join('/')}` : ''}`;
  });

describe('cartTransaction', () => {
  it('per add a seat and a row, per drop the row and the seat, the schedule, one event, the history', () => {
    const sut = cartTransaction(tables, cart());
    expect(shape(sut.items)).toEqual([
      'Update t_Courses B1',
      'Put t_StudentEnrollments',
      'Update t_Courses C1',
      'Put t_StudentEnrollments',
      'Delete t_StudentEnrollments s1/A1',
      'Update t_Courses A1',
      'Update t_Schedules s1/2026-FALL',
      'Put t_Outbox',
      'Put t_History',
      'Put t_History',
      'Put t_History',
    ]);
    expect(sut.roles.map((r) => r.kind)).toEqual([
      'seat',
      'row',
      'seat',
      'row',
      'drop-row',
      'free-seat',
      'schedule',
      'outbox',
      'history',
      'history',
      'history',
    ]);
    // One entry per line, by the caller, at the cart's time; a change carries the course index key.
    expect(sut.items.slice(-3).map((i) => i.Put!.Item)).toEqual(
      [
        ['B1', 'enrolled'],
        ['C1', 'enrolled'],
        ['A1', 'dropped'],
      ].map(([course, type]) => ({
        event_id: expect.any(String),
        type,
        actor: 's1',
        at: '2026-08-15T12:00:00.000Z',
        user_id: 's1',
        course_id: course,
        change_course_id: course,
        semester_id: '2026-FALL',
      })),
    );
    expect(sut.results).toEqual([
      { course_id: 'B1', action: 'add', status: 'enrolled' },
      { course_id: 'C1', action: 'add', status: 'enrolled' },
      { course_id: 'A1', action: 'drop', status: 'dropped' },
    ]);
    expect(sut.event).toMatchObject({
      type: 'registration.submitted',
      user_id: 's1',
      course_id: 'B1',
      email: 's1@example.edu',
      changes: [
        { course_id: 'B1', semester_id: '2026-FALL', action: 'add', status: 'enrolled' },
        { course_id: 'C1', semester_id: '2026-FALL', action: 'add', status: 'enrolled' },
        { course_id: 'A1', semester_id: '2026-FALL', action: 'drop', status: 'dropped' },
      ],
    });
  });

  it('a CAPACITY permit takes its seat past capacity; the others stay under it', () => {
    const [b, , c] = cartTransaction(tables, cart()).items;
    expect(b.Update!.ConditionExpression).toContain('enrolled_count < #capacity');
    expect(c.Update!.ConditionExpression).toBe('attribute_exists(course_id)');
  });

  it('requires the schedule version read and increments it; no item read: must still be absent', () => {
    const read = cartTransaction(tables, cart()).items[6].Update!;
    expect(read).toMatchObject({
      ConditionExpression: 'version = :read',
      ExpressionAttributeValues: { ':read': 3, ':next': 4, ':credits': 8 },
    });
    const none = cartTransaction(
      tables,
      cart({ schedules: [{ termId: '2026-FALL', readVersion: undefined, credits: 4 }] }),
    ).items[6].Update!;
    expect(none).toMatchObject({
      ConditionExpression: 'attribute_not_exists(user_id)',
      ExpressionAttributeValues: { ':next': 1, ':credits': 4 },
    });
  });

  it('a withdrawal turns the row into a W instead of deleting it', () => {
    const sut = cartTransaction(
      tables,
      cart({ adds: [], drops: [{ courseId: 'A1', semesterId: '2026-FALL', outcome: 'withdraw' }] }),
    );
    expect(shape(sut.items)[0]).toBe('Update t_StudentEnrollments s1/A1');
    expect(sut.items.at(-1)!.Put!.Item).toMatchObject({ type: 'withdrawn', course_id: 'A1' });
    expect(sut.results).toEqual([{ course_id: 'A1', action: 'drop', status: 'withdrawn' }]);
  });

  it('a full cart (10 adds, 10 drops, one term, a key) is 63 items: under the 100 a transaction takes', () => {
    const sut = cartTransaction(
      tables,
      cart({
        adds: Array.from({ length: 10 }, (_, i) => ({
          courseId: `N${i}`,
          semesterId: '2026-FALL',
          overCapacity: false,
        })),
        drops: Array.from({ length: 10 }, (_, i) => ({
          courseId: `O${i}`,
          semesterId: '2026-FALL',
          outcome: 'drop' as const,
        })),
        idempotency: { key: 's1#k', fingerprint: 'f', nowSeconds: 1000 },
      }),
    );
    expect(sut.items).toHaveLength(63);
    expect(sut.items[42].Put).toMatchObject({
      TableName: 't_Idempotency',
      Item: { key: 's1#k', fingerprint: 'f', status: 201, body: { results: sut.results } },
    });
  });
});

describe('cartCancellation', () => {
  const { roles } = cartTransaction(tables, cart());
  const none: CancellationReason = { Code: 'None' };
  const failed = (Item?: Record<string, unknown>): CancellationReason => ({
    Code: 'ConditionalCheckFailed',
    ...(Item ? { Item } : {}),
  });
  /** Reasons for the 8 items of `cart()`, all None but those given by index. */
  const reasons = (at: Record<number, CancellationReason>) => roles.map((_, i) => at[i] ?? none);
  const codes = (c: ReturnType<typeof cartCancellation>) =>
    c.kind === 'violations' ? c.violations.map((v) => `${v.code}:${v.course_id}`) : c.kind;

  it.each([
    [
      'a seat taken since the check (the course returned)',
      { 0: failed({ enrolled_count: { N: '10' }, capacity: { N: '10' } }) },
      ['COURSE_FULL:B1'],
    ],
    ['a course gone', { 2: failed() }, ['COURSE_NOT_FOUND:C1']],
    [
      'a row held since the check',
      { 1: failed({ status: { S: 'enrolled' } }) },
      ['ALREADY_ENROLLED:B1'],
    ],
    ['a W held', { 1: failed({ status: { S: 'withdrawn' } }) }, ['ALREADY_WITHDRAWN:B1']],
    ['a dropped row gone', { 4: failed() }, ['NOT_ENROLLED:A1']],
    [
      'a dropped row withdrawn meanwhile',
      { 4: failed({ status: 'withdrawn' }) },
      ['ALREADY_WITHDRAWN:A1'],
    ],
    [
      'several lines, in cart order',
      { 2: failed({ enrolled_count: 1, capacity: 1 }), 4: failed() },
      ['COURSE_FULL:C1', 'NOT_ENROLLED:A1'],
    ],
    [
      'the schedule changed (first, whatever else failed)',
      { 0: failed({}), 6: failed() },
      'schedule-changed',
    ],
    ['a seat counter out of step', { 5: failed() }, 'unexplained'],
  ])('%s', (_, at, expected) => {
    expect(codes(cartCancellation(roles, reasons(at)))).toEqual(expected);
  });

  it('a full section says whether its waitlist has room', () => {
    const c = cartCancellation(
      roles,
      reasons({
        0: failed({ enrolled_count: 1, capacity: 1, waitlist_capacity: 5, waitlist_count: 2 }),
      }),
    );
    expect(c).toEqual({
      kind: 'violations',
      violations: [
        expect.objectContaining({
          code: 'COURSE_FULL',
          waitlist_available: true,
          waitlist_count: 2,
        }),
      ],
    });
  });

  it('the idempotency record claimed by a concurrent request', () => {
    const withKey = cartTransaction(
      tables,
      cart({ idempotency: { key: 's1#k', fingerprint: 'f', nowSeconds: 1 } }),
    );
    const r = withKey.roles.map((role) => (role.kind === 'idempotency' ? failed() : none));
    expect(cartCancellation(withKey.roles, r)).toEqual({ kind: 'idempotency-in-progress' });
  });
});

describe('a cart with waitlisted lines (DESIGN §9)', () => {
  const withJoin = cart({
    adds: [
      { courseId: 'B1', semesterId: '2026-FALL', overCapacity: false, waitlistedElsewhere: ['B2'] },
      { courseId: 'J1', semesterId: '2026-FALL', overCapacity: false, waitlist: true },
    ],
  });

  it("a join is the one-course join's place and row; an enroll leaves the course's other lists", () => {
    const sut = cartTransaction(tables, withJoin);
    expect(shape(sut.items)).toEqual([
      'Update t_Courses B1',
      'Put t_StudentEnrollments',
      // removeWaitlistedElsewhere: the row, its place, the silent event, the history entry
      'Delete t_StudentEnrollments s1/B2',
      'Update t_Courses B2',
      'Put t_Outbox',
      'Put t_History',
      'Update t_Courses J1',
      'Put t_StudentEnrollments',
      'Delete t_StudentEnrollments s1/A1',
      'Update t_Courses A1',
      'Update t_Schedules s1/2026-FALL',
      'Put t_Outbox',
      'Put t_History',
      'Put t_History',
      'Put t_History',
    ]);
    const joinRow = (sut.items[7].Put!.Item ?? {}) as Record<string, unknown>;
    expect(joinRow).toMatchObject({
      status: 'waitlisted',
      course_id: 'J1',
      email: 's1@example.edu',
    });
    expect(joinRow.waitlist_key).toBe(sut.waitlistKeys.get('J1'));
    expect(sut.items[6].Update!.ConditionExpression).toContain(
      'waitlist_count < waitlist_capacity',
    );
    expect(sut.results).toEqual([
      { course_id: 'B1', action: 'add', status: 'enrolled' },
      { course_id: 'J1', action: 'add', status: 'waitlisted' },
      { course_id: 'A1', action: 'drop', status: 'dropped' },
    ]);
    const types = sut.items
      .filter((i) => i.Put?.TableName === 't_History')
      .map((i) => i.Put!.Item!.type);
    expect(types).toEqual(['waitlist_removed', 'enrolled', 'dropped', 'waitlisted']);
    // The list joined cues its walk; A1 keeps no waitlist, so its freed seat cues none.
    expect(sut.event.walks).toEqual(['J1']);
    expect(walksOf(sut.event)).toEqual(['J1']);
    const withList = cartTransaction(
      tables,
      cart({
        drops: [{ courseId: 'A1', semesterId: '2026-FALL', outcome: 'drop', hasWaitlist: true }],
      }),
    );
    expect(walksOf(withList.event)).toEqual(['A1']);
  });

  it.each([
    [
      'the list filled since the check',
      { waitlist_capacity: 2, waitlist_count: 2 },
      'WAITLIST_FULL:J1',
    ],
    ['the list closed since the check', { waitlist_capacity: 0 }, 'COURSE_FULL:J1'],
    ['the course gone', undefined, 'COURSE_NOT_FOUND:J1'],
  ])('%s', (_, item, expected) => {
    const { roles } = cartTransaction(tables, withJoin);
    const reasons = roles.map((r) =>
      r.kind === 'waitlist-place'
        ? { Code: 'ConditionalCheckFailed', ...(item ? { Item: item } : {}) }
        : { Code: 'None' },
    );
    const c = cartCancellation(roles, reasons);
    expect(c.kind === 'violations' && c.violations.map((v) => `${v.code}:${v.course_id}`)).toEqual([
      expected,
    ]);
  });

  it('a row waiting already is ALREADY_WAITLISTED', () => {
    const { roles } = cartTransaction(tables, withJoin);
    const reasons = roles.map((r, i) =>
      i === 7
        ? { Code: 'ConditionalCheckFailed', Item: { status: { S: 'waitlisted' } } }
        : { Code: 'None' },
    );
    const c = cartCancellation(roles, reasons);
    expect(c.kind === 'violations' && c.violations[0].code).toBe('ALREADY_WAITLISTED');
  });
});
