import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { testTables } from '@app/testing';
import { dropTables, migrate } from '../migrations/migrate';
import { CursorCodec } from '../kit/cursor';
import { WriteAdmission } from '../kit/write-admission';
import { TableNames } from '../tables';
import { EnrollmentsRepository } from '../enrollments/enrollments.repository';
import { WaitlistRepository } from './waitlist.repository';

// The DynamoDB conditions of the waitlist (DESIGN §9) on DynamoDB Local: the place counter, the
// no-queue-jumping seat condition, the open marker's guard, and the promotion's conditions.
const { prefix, client, doc, tables, putCourse } = testTables('waitlist');
const cursors = new CursorCodec({ cursorSecret: 'waitlist-int-spec-secret-0123456789' });
const config = { retryBudgetMs: 1500 };
const admission = new WriteAdmission({ maxInflightWrites: 64, writeQueueTimeoutMs: 1000 });
const sut = new WaitlistRepository(doc, tables as TableNames, cursors, config, admission);
const enrollments = new EnrollmentsRepository(
  doc,
  tables as TableNames,
  cursors,
  config,
  admission,
);

const sectionOf = async (id: string) =>
  (
    await doc.send(
      new GetCommand({ TableName: tables.courses, Key: { course_id: id }, ConsistentRead: true }),
    )
  ).Item!;
const join = (userId: string, courseId: string) =>
  sut.join({ userId, courseId, semesterId: '2026-FALL' });
const enroll = (userId: string, courseId: string) =>
  enrollments.enroll({ userId, courseId, semesterId: '2026-FALL', actor: userId });

describe('WaitlistRepository (DynamoDB Local)', () => {
  beforeAll(() => migrate(client, prefix));
  afterAll(async () => {
    await dropTables(client, prefix);
    client.destroy();
  });

  it('counts places, orders positions by join, and refuses past waitlist_capacity', async () => {
    await putCourse('W1-2026-FALL', { capacity: 1, enrolled_count: 1, waitlist_capacity: 2 });
    const a = await join('a', 'W1-2026-FALL');
    const b = await join('b', 'W1-2026-FALL');
    expect([a, b].map((r) => (r.replayed ? null : r.enrollment.position))).toEqual([1, 2]);
    await expect(join('c', 'W1-2026-FALL')).rejects.toMatchObject({ code: 'WAITLIST_FULL' });
    await expect(join('a', 'W1-2026-FALL')).rejects.toMatchObject({ code: 'ALREADY_WAITLISTED' });
    expect((await sut.waiters('W1-2026-FALL')).map((w) => w.user_id)).toEqual(['a', 'b']);
    await sut.leave({ userId: 'a', courseId: 'W1-2026-FALL', semesterId: '2026-FALL' });
    expect(await sut.positionsOf('b')).toEqual(new Map([['W1-2026-FALL', 1]]));
    expect((await sectionOf('W1-2026-FALL')).waitlist_count).toBe(1);
  });

  it.each([
    ['a section without a waitlist', { waitlist_capacity: 0 }, 'COURSE_FULL'],
    ['an unknown section', undefined, 'COURSE_NOT_FOUND'],
  ])('refuses a join of %s', async (_, over, code) => {
    const id = `W2-${code}`;
    if (over) await putCourse(id, over);
    await expect(join('x', id)).rejects.toMatchObject({ code });
  });

  it('keeps a free seat from a plain add while anyone waits, until the open marker is set', async () => {
    await putCourse('W3-2026-FALL', { capacity: 2, enrolled_count: 1, waitlist_capacity: 2 });
    await join('w', 'W3-2026-FALL');
    await expect(enroll('jumper', 'W3-2026-FALL')).rejects.toMatchObject({
      code: 'COURSE_FULL',
      details: { waitlist_available: true, waitlist_count: 1 },
    });
    const joins = (await sectionOf('W3-2026-FALL')).waitlist_joins as number;
    expect(await sut.markOpen('W3-2026-FALL', joins - 1)).toBe(false); // a join since the walk read
    expect(await sut.markOpen('W3-2026-FALL', joins)).toBe(true);
    await expect(enroll('jumper', 'W3-2026-FALL')).resolves.toMatchObject({ replayed: false });
    // A join takes the marker away again.
    await enrollments.drop({
      row: (await enrollments.get('jumper', 'W3-2026-FALL'))!,
      actor: 'jumper',
    });
    expect(await sut.markOpen('W3-2026-FALL', joins)).toBe(true);
    await join('w2', 'W3-2026-FALL');
    expect((await sectionOf('W3-2026-FALL')).waitlist_open).toBeUndefined();
  });

  it('promotes only a waiting row into a free seat', async () => {
    await putCourse('W4-2026-FALL', { capacity: 1, enrolled_count: 1, waitlist_capacity: 3 });
    await join('p1', 'W4-2026-FALL');
    const promote = (userId: string) =>
      sut.promote({
        userId,
        courseId: 'W4-2026-FALL',
        semesterId: '2026-FALL',
        credits: 3,
        waitlistedElsewhere: [],
      });
    expect((await promote('p1')).result).toBe('no-seat');
    // A seat frees (as a drop would): rewrite the section's counters.
    await putCourse('W4-2026-FALL', {
      capacity: 1,
      enrolled_count: 0,
      waitlist_capacity: 3,
      waitlist_count: 1,
    });
    expect((await promote('ghost')).result).toBe('not-waiting');
    const done = await promote('p1');
    expect(done.result).toBe('promoted');
    expect(done.event).toMatchObject({ type: 'waitlist.promoted', user_id: 'p1' });
    expect(await sectionOf('W4-2026-FALL')).toMatchObject({ enrolled_count: 1, waitlist_count: 0 });
    expect(await sut.waiters('W4-2026-FALL')).toEqual([]);
    expect(await enrollments.get('p1', 'W4-2026-FALL')).toMatchObject({
      status: 'enrolled',
      enrolled_at: expect.any(String),
    });
  });
});
