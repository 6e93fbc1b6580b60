import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dropTables, migrate } from '../migrations/migrate';
import { testTables } from '@app/testing';
import { newOutboxEvent, outboxPut } from './outbox-event';
import { OutboxRepository } from './outbox.repository';

const { prefix, client, doc, tables } = testTables('outbox');
const event = (user: string, ageMs = 0) =>
  newOutboxEvent(
    {
      type: 'enrollment.created',
      user_id: user,
      course_id: 'CS101-2026-FALL',
      semester_id: '2026-FALL',
      email: `${user}@example.edu`,
    },
    Date.now() - ageMs,
  );

describe('OutboxRepository (DynamoDB Local)', () => {
  const sut = new OutboxRepository(doc, tables);
  const put = (e: ReturnType<typeof event>) => doc.send(new PutCommand(outboxPut(tables, e).Put!));

  beforeAll(() => migrate(client, prefix));
  afterAll(async () => {
    await dropTables(client, prefix);
    client.destroy();
  });

  it('lists pending events older than the grace period, across shards, oldest first', async () => {
    const old = Array.from({ length: 12 }, (_, i) => event(`old${i}`, 60_000 - i * 1000));
    const young = event('young');
    for (const e of [...old, young]) await put(e);
    const pending = await sut.listPending({ olderThanMs: 10_000, limit: 50 });
    const ids = pending.map((e) => e.event_id);
    expect(ids).toEqual(old.map((e) => e.event_id).sort());
    expect(new Set(old.map((e) => e.pending_shard)).size).toBeGreaterThan(1);
    expect(pending[0]).toMatchObject({
      user_id: 'old0',
      email: 'old0@example.edu',
      type: 'enrollment.created',
    });
    expect(await sut.listPending({ olderThanMs: 10_000, limit: 5 })).toHaveLength(5);
  });

  it('an enqueued event leaves the pending index and gets a TTL', async () => {
    const e = event('enq', 60_000);
    await put(e);
    expect(await sut.markEnqueued(e.event_id)).toBe(true);
    const stored = await sut.get(e.event_id);
    expect(stored?.pending_shard).toBeUndefined();
    expect(stored?.enqueued_at).toBeDefined();
    expect(stored!.expires_at!).toBeGreaterThan(Date.now() / 1000 + 6 * 24 * 3600);
    expect(
      (await sut.listPending({ olderThanMs: 0, limit: 100 })).map((p) => p.event_id),
    ).not.toContain(e.event_id);
  });

  it('markEnqueued of an unknown event creates nothing', async () => {
    expect(await sut.markEnqueued('01ZZZZZZZZZZZZZZZZZZZZZZZZ')).toBe(false);
    const res = await doc.send(
      new GetCommand({ TableName: tables.outbox, Key: { event_id: '01ZZZZZZZZZZZZZZZZZZZZZZZZ' } }),
    );
    expect(res.Item).toBeUndefined();
  });

  it('markSent is true once, then false', async () => {
    const e = event('sent');
    await put(e);
    const [a, b] = await Promise.all([sut.markSent(e.event_id), sut.markSent(e.event_id)]);
    expect([a, b].sort()).toEqual([false, true]);
    const stored = await sut.get(e.event_id);
    expect(stored?.sent_at).toBeDefined();
    expect(stored?.pending_shard).toBeUndefined();
  });

  it('one send claim at a time; released or lapsed claims can be taken; sent events cannot', async () => {
    const e = event('claim');
    await put(e);
    expect(await sut.claimSend(e.event_id, 'a', 60_000)).toBe('claimed');
    expect(await sut.claimSend(e.event_id, 'b', 60_000)).toBe('in-progress');
    await sut.releaseSend(e.event_id, 'b'); // not b's claim: no effect
    expect(await sut.claimSend(e.event_id, 'b', 60_000)).toBe('in-progress');
    await sut.releaseSend(e.event_id, 'a');
    expect(await sut.claimSend(e.event_id, 'b', 1)).toBe('claimed');
    await new Promise((r) => setTimeout(r, 10));
    // b's claim lapsed without a release: b may have sent, so c's claim is a takeover.
    expect(await sut.claimSend(e.event_id, 'c', 60_000)).toBe('taken-over');
    expect(await sut.markSent(e.event_id)).toBe(true);
    expect(await sut.claimSend(e.event_id, 'd', 60_000)).toBe('already-sent');
    expect(await sut.claimSend('01ZZZZZZZZZZZZZZZZZZZZZZZY', 'e', 60_000)).toBe('missing');
  });

  it('an owner takes its own live claim again (a claim that committed after its timeout is not orphaned)', async () => {
    const e = event('reclaim');
    await put(e);
    expect(await sut.claimSend(e.event_id, 'a', 60_000)).toBe('claimed');
    expect(await sut.claimSend(e.event_id, 'a', 60_000)).toBe('claimed');
    expect(await sut.claimSend(e.event_id, 'b', 60_000)).toBe('in-progress');
  });

  it('a renewed claim outlives its first lease; only its owner renews it', async () => {
    const e = event('renew');
    await put(e);
    expect(await sut.claimSend(e.event_id, 'a', 50)).toBe('claimed');
    expect(await sut.renewSend(e.event_id, 'a', 60_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 60));
    expect(await sut.claimSend(e.event_id, 'b', 60_000)).toBe('in-progress');
    expect(await sut.renewSend(e.event_id, 'b', 60_000)).toBe(false);
    await sut.releaseSend(e.event_id, 'a');
    expect(await sut.claimSend(e.event_id, 'b', 60_000)).toBe('claimed');
    expect(await sut.renewSend(e.event_id, 'a', 60_000)).toBe(false);
  });
});
