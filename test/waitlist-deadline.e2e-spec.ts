// The add-deadline sweep (DESIGN §9) through the real stack (DynamoDB Local, Redis, BullMQ, the
// SMTP sink): PUT /api/terms schedules one delayed job per term and add deadline; at the deadline
// the enrollments app's worker removes every remaining waitlist row of the term (waitlisted and
// open offers) with history and one email each, and frees the offered seat without offering it
// again. A changed deadline gets its own job (the old one does nothing); a second run changes
// nothing.
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { Queue } from 'bullmq';
import { closeRedis, createRedisClient, redisSettings } from '@app/common';
import type { RedisClient } from '@app/common';
import { startSmtpSink, SmtpSink } from '@app/local-stack';
import { deadlineSweepJobId, WAITLIST_QUEUE } from '@app/messaging';
import { authAs, eventually, startApp, studentAuth, testStack } from '@app/testing';
import { CoursesModule } from '../apps/courses/src/courses.module';
import { EnrollmentsModule } from '../apps/enrollments/src/enrollments.module';
import { NotificationsModule } from '../apps/notifications/src/notifications.module';
import { DeadlineSweepService } from '../apps/enrollments/src/waitlist/deadline-sweep.service';

const stack = testStack('wl-deadline', {
  LOG_LEVEL: 'warn',
  OUTBOX_RELAY_INTERVAL_MS: '300',
  OUTBOX_RELAY_GRACE_MS: '1000',
});
const SLOW = 30_000; // eventually's deadline: a busy shared machine
const TERM = '2035-FALL';
const OFFERS = 'DLO-2035-FALL'; // capacity 1: a seat holder who drops, an offer, two waiting
const PLAIN = 'DLW-2035-FALL'; // capacity 1, full: one waiting

jest.setTimeout(120_000);

describe('the add-deadline sweep of a term (DESIGN §9)', () => {
  let sink: SmtpSink;
  let enrollments: NestExpressApplication;
  let notifications: NestExpressApplication;
  let courses: NestExpressApplication;
  let http: ReturnType<typeof request>;
  let walks: Queue;
  let admin: Record<string, string>;

  const calendar = (addDeadline: Date) => ({
    name: 'Fall 2035',
    registration_opens_at: '2020-01-01T00:00:00Z',
    add_deadline: addDeadline.toISOString(),
    drop_deadline: '2035-12-01T00:00:00Z',
    withdraw_deadline: '2035-12-10T00:00:00Z',
    waitlist_mode: 'offer',
    offer_hold_minutes: 600,
  });
  const putTerm = (addDeadline: Date) =>
    request(courses.getHttpServer())
      .put(`/api/terms/${TERM}`)
      .set(admin)
      .send(calendar(addDeadline));
  const add = async (sub: string, courseId: string, waitlist?: boolean) =>
    http
      .post('/api/enrollments')
      .set(await studentAuth(sub))
      .send({ course_id: courseId, ...(waitlist ? { waitlist } : {}) });
  const rowOf = async (sub: string, courseId: string) => await stack.enrollment(sub, courseId);
  const sectionOf = async (courseId: string) => (await stack.course(courseId))!;
  const historyOf = async (sub: string) =>
    (
      await http
        .get('/api/enrollments/me/history')
        .set(await studentAuth(sub))
        .expect(200)
    ).body.items as {
      type: string;
      reason?: string;
      course_id: string;
      actor: string;
      at: string;
    }[];
  const mailsTo = (sub: string) => sink.messages.filter((m) => m.to.includes(`${sub}@example.edu`));
  const removalMails = (sub: string) =>
    mailsTo(sub).filter((m) => m.subject.startsWith('Removed from the waitlist'));

  beforeAll(async () => {
    sink = await startSmtpSink({});
    process.env.SMTP_URL = sink.url;
    await stack.migrate();
    enrollments = await startApp(EnrollmentsModule);
    notifications = await startApp(NotificationsModule);
    courses = await startApp(CoursesModule);
    http = request(enrollments.getHttpServer());
    admin = await authAs('dl-admin', 'admin');
    walks = new Queue(WAITLIST_QUEUE, {
      connection: createRedisClient('queue-producer', redisSettings(stack.env)),
      prefix: stack.env.QUEUE_PREFIX,
    });
  });

  afterAll(async () => {
    await walks?.close();
    if (walks) await closeRedis(walks.opts.connection as RedisClient);
    await enrollments?.close();
    await notifications?.close();
    await courses?.close();
    await sink?.stop();
    await stack.drop();
  });

  it('removes every waitlisted row and open offer at the deadline, once, with history and one email each', async () => {
    // Saved with a deadline an hour ahead: one delayed job for it.
    const first = new Date(Date.now() + 60 * 60_000);
    expect((await putTerm(first)).status).toBe(201);
    const firstJob = deadlineSweepJobId(TERM, first.toISOString());
    await eventually(async () => (await walks.getJob(firstJob)) !== undefined, SLOW);
    const job = await walks.getJob(firstJob);
    expect(job?.opts.delay).toBeGreaterThan(55 * 60_000);
    expect(job?.data).toMatchObject({ term_id: TERM, add_deadline: first.toISOString() });

    // Waiting before the deadline: an offer (the seat holder dropped) and three waitlisted rows.
    await stack.putCourse(OFFERS, { semester_id: TERM, capacity: 1, waitlist_capacity: 5 });
    await stack.putCourse(PLAIN, { semester_id: TERM, capacity: 1, waitlist_capacity: 5 });
    expect((await add('dl-seat', OFFERS)).status).toBe(201);
    expect((await add('dl-stay', PLAIN)).status).toBe(201);
    for (const s of ['dl-a', 'dl-b', 'dl-c']) expect((await add(s, OFFERS, true)).status).toBe(201);
    expect((await add('dl-c', PLAIN, true)).status).toBe(201);
    expect(
      (await http.delete(`/api/enrollments/${OFFERS}`).set(await studentAuth('dl-seat'))).status,
    ).toBe(204);
    await eventually(async () => (await rowOf('dl-a', OFFERS))?.status === 'offered', SLOW);
    expect((await rowOf('dl-a', OFFERS))?.status).toBe('offered');

    // Saved again with a later deadline: its own job; the first one's run finds it moved.
    const later = new Date(Date.now() + 2 * 60 * 60_000);
    expect((await putTerm(later)).status).toBe(200);
    await eventually(
      async () => (await walks.getJob(deadlineSweepJobId(TERM, later.toISOString()))) !== undefined,
      SLOW,
    );
    const sweeper = enrollments.get(DeadlineSweepService);
    expect(await sweeper.sweep(TERM, first.toISOString())).toEqual({
      decision: 'moved',
      sections: 0,
      removed: 0,
    });
    expect((await rowOf('dl-b', OFFERS))?.status).toBe('waitlisted');

    // Saved with a deadline a few seconds ahead: its job runs by itself when it is reached.
    const soon = new Date(Date.now() + 3000);
    expect((await putTerm(soon)).status).toBe(200);
    const waiting: [string, string][] = [
      ['dl-a', OFFERS],
      ['dl-b', OFFERS],
      ['dl-c', OFFERS],
      ['dl-c', PLAIN],
    ];
    const allGone = async () =>
      (await Promise.all(waiting.map(([s, c]) => rowOf(s, c)))).every((r) => r === undefined);
    await eventually(allGone, SLOW);
    expect(await allGone()).toBe(true);

    // The offered seat is free and stays free: adds are closed, nobody is offered it.
    expect(await sectionOf(OFFERS)).toMatchObject({ enrolled_count: 0, waitlist_count: 0 });
    expect(await sectionOf(PLAIN)).toMatchObject({ enrolled_count: 1, waitlist_count: 0 });
    expect((await rowOf('dl-stay', PLAIN))?.status).toBe('enrolled');

    // History: one waitlist_removed (add_deadline) per row, by the system.
    for (const [s, c] of waiting) {
      const removed = (await historyOf(s)).filter(
        (h) => h.type === 'waitlist_removed' && h.course_id === c,
      );
      expect(removed).toEqual([
        expect.objectContaining({ reason: 'add_deadline', actor: 'system' }),
      ]);
      expect(Date.parse(removed[0].at)).toBeGreaterThanOrEqual(soon.getTime()); // not before it
    }
    expect((await historyOf('dl-b')).some((h) => h.type === 'offered')).toBe(false);

    // One email per removed row.
    await eventually(
      () =>
        removalMails('dl-a').length + removalMails('dl-b').length + removalMails('dl-c').length >=
        4,
      SLOW,
    );
    expect(removalMails('dl-a').map((m) => m.subject)).toEqual([expect.stringContaining(OFFERS)]);
    expect(removalMails('dl-b')).toHaveLength(1);
    expect(
      removalMails('dl-c')
        .map((m) => m.subject)
        .sort(),
    ).toEqual([expect.stringContaining(OFFERS), expect.stringContaining(PLAIN)]);
    expect(removalMails('dl-a')[0].text).toContain('The add deadline for 2035-FALL has passed');

    // A second run (a retry, a redelivery) finds nothing left and sends nothing.
    expect(await sweeper.sweep(TERM, soon.toISOString())).toEqual({
      decision: 'due',
      sections: 2,
      removed: 0,
    });
    // A later email to one of them is the marker that the queue has drained past any duplicate.
    expect((await add('dl-stay', OFFERS)).body.code).toBe('REGISTRATION_CLOSED');
    expect(
      (await http.delete(`/api/enrollments/${PLAIN}`).set(await studentAuth('dl-stay'))).status,
    ).toBe(204);
    await eventually(
      () => mailsTo('dl-stay').some((m) => m.subject.startsWith('Enrollment dropped')),
      SLOW,
    );
    expect(mailsTo('dl-stay').some((m) => m.subject.startsWith('Enrollment dropped'))).toBe(true);
    expect(removalMails('dl-a')).toHaveLength(1);
    expect(removalMails('dl-b')).toHaveLength(1);
    expect(removalMails('dl-c')).toHaveLength(2);
  });
});
