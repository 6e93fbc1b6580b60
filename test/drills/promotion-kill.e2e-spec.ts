// A promotion walk whose worker is killed mid-walk (DESIGN §9, §10): the built enrollments entry
// point runs as its own process, walks a long list, and is SIGKILLed after a few promotions; a new
// process takes the stalled job over (BullMQ's lock lapses) and finishes the walk. Every seat is
// filled, in FIFO order, each student promoted once, nobody skipped or lost.
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Queue } from 'bullmq';
import { closeRedis, createRedisClient, redisSettings } from '@app/common';
import type { RedisClient } from '@app/common';
import {
  PROMOTION_JOB,
  PROMOTION_JOB_OPTIONS,
  promotionJobId,
  WAITLIST_QUEUE,
} from '@app/messaging';
import { eventually, testStack, tokenFor, Topology } from '@app/testing';

const stack = testStack('promotion-kill', { LOG_LEVEL: 'error' });
const WAITERS = 25;
const COURSE = 'KILL-2038-FALL';

jest.setTimeout(300_000);

describe('a promotion walk killed mid-walk', () => {
  let first: Topology | undefined;
  let second: Topology | undefined;
  let walks: Queue;

  const sectionOf = async () => (await stack.course(COURSE))!;
  const rowOf = async (sub: string) => await stack.enrollment(sub, COURSE);

  beforeAll(async () => {
    await stack.migrate();
    walks = new Queue(WAITLIST_QUEUE, {
      connection: createRedisClient('queue-producer', redisSettings(stack.env)),
      prefix: stack.env.QUEUE_PREFIX,
    });
  });

  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await walks?.close();
    if (walks) await closeRedis(walks.opts.connection as RedisClient);
    await stack.drop();
  });

  it('resumes on another process without skipping anyone', async () => {
    // One seat, held (no row: only the counter matters here), and a long list.
    await stack.putCourse(COURSE, {
      semester_id: '2038-FALL',
      capacity: 1,
      enrolled_count: 1,
      waitlist_capacity: 40,
    });
    first = await Topology.start({ enrollments: 1 });
    const waiters = Array.from({ length: WAITERS }, (_, i) => `pk-${String(i).padStart(2, '0')}`);
    for (const sub of waiters) {
      const res = await first.request('enrollments', '/api/enrollments', {
        method: 'POST',
        token: await tokenFor({ sub, role: 'student', email: `${sub}@example.edu` }),
        body: { course_id: COURSE, waitlist: true },
      });
      expect(res.status).toBe(201);
    }
    // The joins' walks found no seat; then every waiter gets one, and one walk promotes them all.
    await eventually(async () => (await walks.getJob(promotionJobId(COURSE))) === undefined);
    expect(await walks.getJob(promotionJobId(COURSE))).toBeUndefined();
    await stack.doc.send(
      new UpdateCommand({
        TableName: stack.tables.courses,
        Key: { course_id: COURSE },
        UpdateExpression: 'SET #c = :c',
        ExpressionAttributeNames: { '#c': 'capacity' },
        ExpressionAttributeValues: { ':c': 1 + WAITERS },
      }),
    );
    await walks.add(
      PROMOTION_JOB,
      { course_id: COURSE },
      { ...PROMOTION_JOB_OPTIONS, jobId: promotionJobId(COURSE) },
    );

    // Kill the walking process a few promotions in.
    await eventually(async () => (await sectionOf()).enrolled_count >= 4, 60_000);
    await first.kill(first.of('enrollments')[0], 'SIGKILL');
    const atKill = (await sectionOf()).enrolled_count as number;
    expect(atKill).toBeGreaterThanOrEqual(4);
    expect(atKill).toBeLessThan(1 + WAITERS); // mid-walk: seats still free for the waiting

    const killedAt = Date.now();
    second = await Topology.start({ enrollments: 1 });
    await eventually(async () => (await sectionOf()).enrolled_count === 1 + WAITERS, 150_000);
    // The takeover waits for the dead worker's job lock to lapse (BullMQ's 30 s default).
    process.stdout.write(
      `promotion-kill: killed after ${atKill - 1} of ${WAITERS} promotions; the walk finished ` +
        `${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill\n`,
    );
    expect(await sectionOf()).toMatchObject({ enrolled_count: 1 + WAITERS, waitlist_count: 0 });

    // Everyone enrolled, in the order they joined, each promoted exactly once.
    const rows = await Promise.all(waiters.map(rowOf));
    expect(rows.map((r) => r?.status)).toEqual(waiters.map(() => 'enrolled'));
    const times = rows.map((r) => r!.enrolled_at as string);
    expect([...times].sort()).toEqual(times);
    for (const sub of waiters) {
      const history = await stack.doc.send(
        new QueryCommand({
          TableName: stack.tables.history,
          KeyConditionExpression: 'user_id = :u',
          ExpressionAttributeValues: { ':u': sub },
          ConsistentRead: true,
        }),
      );
      expect((history.Items ?? []).filter((e) => e.type === 'promoted')).toHaveLength(1);
    }
  });
});
