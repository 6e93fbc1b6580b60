import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { register } from 'prom-client';
import { eventually, testTables } from '@app/testing';
import { CursorCodec, InvalidCursor } from '../kit/cursor';
import { WriteAdmission } from '../kit/write-admission';
import { dropTables, migrate } from '../migrations/migrate';
import { tableNames } from '../tables';
import { historyPut, newHistoryEntry, NewHistoryEntry } from './history-entry';
import { HistoryRepository } from './history.repository';

const { prefix, client, doc, tables } = testTables('history');
const cursors = new CursorCodec({ cursorSecret: 'history-int-spec-secret-0123456789' });
const admission = new WriteAdmission({ maxInflightWrites: 8, writeQueueTimeoutMs: 1000 });

const entry = (over: Partial<NewHistoryEntry> = {}) =>
  newHistoryEntry({
    type: 'enrolled',
    actor: 'h1',
    user_id: 'h1',
    course_id: 'HIST101-2032-FALL',
    semester_id: '2032-FALL',
    ...over,
  });

const failedWrites = async () =>
  (await register.getSingleMetricAsString('history_best_effort_writes_total'))
    .split('\n')
    .filter((l) => l.includes('result="failed"'))
    .map((l) => Number(l.split(' ').at(-1)))
    .reduce((a, b) => a + b, 0);

describe('HistoryRepository (DynamoDB Local)', () => {
  const sut = new HistoryRepository(doc, tables, cursors, admission);

  beforeAll(() => migrate(client, prefix));
  afterAll(async () => {
    await dropTables(client, prefix);
    client.destroy();
  });

  it("commits an entry with its transaction and lists a student's history newest first, by pages", async () => {
    const written = [];
    for (const type of ['enrolled', 'dropped', 'enrolled', 'withdrawn'] as const) {
      const e = entry({ type, user_id: 'h1', actor: 'h1' });
      await doc.send(new TransactWriteCommand({ TransactItems: [historyPut(tables, e)] }));
      written.push(e);
    }
    const first = await sut.listByUser('h1', { limit: 3 });
    expect(first.items.map((e) => e.event_id)).toEqual(
      written
        .slice(1)
        .reverse()
        .map((e) => e.event_id),
    );
    expect(first.items[0]).toEqual(written[3]); // API fields only, as written
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = await sut.listByUser('h1', { limit: 3, cursor: first.next_cursor! });
    expect(second.items).toEqual([written[0]]);
    expect(second.next_cursor).toBeNull();
    expect(await sut.listByUser('nobody', { limit: 3 })).toEqual({ items: [], next_cursor: null });
  });

  it('writes nothing when the transaction is cancelled', async () => {
    const e = entry({ user_id: 'h2', actor: 'h2' });
    const send = doc.send(
      new TransactWriteCommand({
        TransactItems: [
          historyPut(tables, e),
          {
            ConditionCheck: {
              TableName: tables.courses,
              Key: { course_id: 'NO-SUCH-COURSE' },
              ConditionExpression: 'attribute_exists(course_id)',
            },
          },
        ],
      }),
    );
    await expect(send).rejects.toBeInstanceOf(TransactionCanceledException);
    expect((await sut.listByUser('h2', { limit: 10 })).items).toEqual([]);
  });

  it("lists a course's history newest first over every student, through HistoryByCourse", async () => {
    const course = 'HIST202-2032-FALL';
    const entries = [];
    for (const user of ['h3', 'h4', 'h3', 'h5']) {
      const e = entry({ user_id: user, actor: user, course_id: course });
      await doc.send(new TransactWriteCommand({ TransactItems: [historyPut(tables, e)] }));
      entries.push(e);
    }
    // A refusal is the student's history only: the course index is sparse.
    const refusal = await sut.record({
      type: 'add_rejected',
      actor: 'h5',
      user_id: 'h5',
      course_id: course,
      violations: [{ code: 'COURSE_FULL', course_id: course, message: 'full' }],
    });
    expect((await sut.listByUser('h5', { limit: 10 })).items[0]).toEqual(refusal);
    const ids = entries.map((e) => e.event_id).reverse();
    await eventually(
      async () => (await sut.listByCourse(course, { limit: 10 })).items.length === 4,
    );
    const first = await sut.listByCourse(course, { limit: 2 });
    const second = await sut.listByCourse(course, { limit: 2, cursor: first.next_cursor! });
    expect([...first.items, ...second.items].map((e) => e.event_id)).toEqual(ids);
    expect(first.items[0]).toEqual(entries[3]); // without the index key
    // A cursor is bound to its query: one course's cursor is refused for another, or for a student.
    await expect(
      sut.listByCourse('HIST101-2032-FALL', { limit: 2, cursor: first.next_cursor! }),
    ).rejects.toBeInstanceOf(InvalidCursor);
    await expect(
      sut.listByUser('h3', { limit: 2, cursor: first.next_cursor! }),
    ).rejects.toBeInstanceOf(InvalidCursor);
  });

  it('records a rejection with its violations, best effort: a failed write returns undefined, counted', async () => {
    const violations = [
      { code: 'HOLD', course_id: 'HIST101-2032-FALL', message: 'a hold', holds: ['BURSAR'] },
    ];
    const recorded = await sut.record({
      type: 'add_rejected',
      actor: 'h6',
      at: new Date('2032-08-02T10:00:00Z'),
      reason: 'HOLD',
      user_id: 'h6',
      course_id: 'HIST101-2032-FALL',
      violations,
    });
    expect(recorded).toMatchObject({ type: 'add_rejected', at: '2032-08-02T10:00:00.000Z' });
    expect((await sut.listByUser('h6', { limit: 10 })).items).toEqual([recorded]);

    // A table that is not there: the write fails, and record neither throws nor returns an entry.
    const broken = new HistoryRepository(doc, tableNames('missing_'), cursors, admission);
    const before = await failedWrites();
    await expect(
      broken.record({
        type: 'add_rejected',
        actor: 'h6',
        user_id: 'h6',
        course_id: 'X',
        violations,
      }),
    ).resolves.toBeUndefined();
    expect(await failedWrites()).toBe(before + 1);

    // No write slot free: the entry is shed at once, not queued behind (or ahead of) other writes.
    const full = new HistoryRepository(
      doc,
      tables,
      cursors,
      new WriteAdmission({ maxInflightWrites: 0, writeQueueTimeoutMs: 60_000 }),
    );
    const started = Date.now();
    await expect(
      full.record({ type: 'add_rejected', actor: 'h7', user_id: 'h7', course_id: 'X', violations }),
    ).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await sut.listByUser('h7', { limit: 10 })).items).toEqual([]);
  });
});
