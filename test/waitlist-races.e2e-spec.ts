// Waitlist races (DESIGN §9, §10) through the real stack, two enrollments instances (two promotion
// workers), the courses app and the notifications app (its relay queues the walks of the courses
// app's events): drops (one-course and by cart), leaves, joins, accepts and a capacity raise sent at
// once never put a section over capacity (enrolled_count ≤ capacity and equal to the rows holding a
// seat), never lose a waiting student, and never promote one twice or out of order.
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { TermsRepository } from '@app/data';
import { startSmtpSink, SmtpSink } from '@app/local-stack';
import { authAs, eventually, fallTerm, startApp, studentAuth, testStack } from '@app/testing';
import { CoursesModule } from '../apps/courses/src/courses.module';
import { EnrollmentsModule } from '../apps/enrollments/src/enrollments.module';
import { NotificationsModule } from '../apps/notifications/src/notifications.module';

const stack = testStack('waitlist-races', {
  LOG_LEVEL: 'warn',
  OUTBOX_RELAY_INTERVAL_MS: '300',
  OUTBOX_RELAY_GRACE_MS: '1000',
});
const SLOW = 30_000;

jest.setTimeout(120_000);

describe('waitlist races', () => {
  let sink: SmtpSink;
  let one: NestExpressApplication;
  let two: NestExpressApplication;
  let courses: NestExpressApplication;
  let notifications: NestExpressApplication;
  let admin: Record<string, string>;
  const app = (i: number) => request((i % 2 === 0 ? one : two).getHttpServer());

  const add = async (sub: string, courseId: string, waitlist = false, i = 0) =>
    app(i)
      .post('/api/enrollments')
      .set(await studentAuth(sub))
      .send({ course_id: courseId, waitlist });
  const remove = async (sub: string, courseId: string, i = 0) =>
    app(i)
      .delete(`/api/enrollments/${courseId}`)
      .set(await studentAuth(sub));
  const rowOf = async (sub: string, courseId: string) => await stack.enrollment(sub, courseId);
  const sectionOf = async (courseId: string) => (await stack.course(courseId))!;
  const statuses = async (courseId: string, subs: string[]) =>
    Object.fromEntries(
      await Promise.all(subs.map(async (s) => [s, (await rowOf(s, courseId))?.status ?? 'none'])),
    ) as Record<string, string>;
  /** The section's counters agree with the rows of every student who ever touched it. */
  const assertInvariants = async (courseId: string, subs: string[]) => {
    const [section, rows] = await Promise.all([sectionOf(courseId), statuses(courseId, subs)]);
    const holding = Object.values(rows).filter((s) => s === 'enrolled' || s === 'offered').length;
    const waiting = Object.values(rows).filter((s) => s === 'waitlisted').length;
    expect(section.enrolled_count).toBeLessThanOrEqual(section.capacity);
    expect(section.enrolled_count).toBe(holding);
    expect(section.waitlist_count ?? 0).toBe(waiting);
    return rows;
  };
  const historyTypes = async (sub: string, courseId: string) =>
    (
      (
        await stack.doc.send(
          new QueryCommand({
            TableName: stack.tables.history,
            KeyConditionExpression: 'user_id = :u',
            ExpressionAttributeValues: { ':u': sub },
            ConsistentRead: true,
          }),
        )
      ).Items ?? []
    )
      .filter((e) => e.course_id === courseId)
      .map((e) => e.type as string);
  const capacity = (courseId: string, n: number) =>
    request(courses.getHttpServer())
      .patch(`/api/courses/${courseId}`)
      .set(admin)
      .send({ capacity: n });

  beforeAll(async () => {
    sink = await startSmtpSink({});
    process.env.SMTP_URL = sink.url;
    await stack.migrate();
    one = await startApp(EnrollmentsModule);
    two = await startApp(EnrollmentsModule);
    courses = await startApp(CoursesModule);
    notifications = await startApp(NotificationsModule);
    admin = await authAs('race-admin', 'admin');
  });

  afterAll(async () => {
    await one?.close();
    await two?.close();
    await courses?.close();
    await notifications?.close();
    await sink?.stop();
    await stack.drop();
  });

  it('auto mode: drops, a cart drop, a leave, a join and a capacity raise at once', async () => {
    const id = 'RA-2036-FALL';
    await stack.putCourse(id, { semester_id: '2036-FALL', capacity: 3, waitlist_capacity: 10 });
    const seated = ['ra-s0', 'ra-s1', 'ra-s2'];
    const waiting = ['ra-w0', 'ra-w1', 'ra-w2', 'ra-w3', 'ra-w4', 'ra-w5'];
    for (const s of seated) expect((await add(s, id)).status).toBe(201);
    for (const s of waiting) expect((await add(s, id, true)).status).toBe(201);

    const answers = await Promise.all([
      remove('ra-s0', id, 0),
      (async () =>
        app(1)
          .post('/api/registrations')
          .set(await studentAuth('ra-s1'))
          .send({ drop: [id] }))(),
      remove('ra-w5', id, 1), // a waiter leaves while the walks run
      add('ra-j0', id, true, 0), // a late joiner: behind everyone
      capacity(id, 4),
    ]);
    expect(answers.map((r) => r.status)).toEqual([204, 201, 204, 201, 200]);

    // Three seats free (two drops, one raise) for the first three waiting, in order.
    const everyone = [...seated, ...waiting, 'ra-j0'];
    await eventually(async () => (await sectionOf(id)).enrolled_count === 4, SLOW);
    await eventually(
      async () =>
        Object.values(await statuses(id, ['ra-w0', 'ra-w1', 'ra-w2'])).every(
          (s) => s === 'enrolled',
        ),
      SLOW,
    );
    const rows = await assertInvariants(id, everyone);
    expect(rows).toEqual({
      'ra-s0': 'none',
      'ra-s1': 'none',
      'ra-s2': 'enrolled',
      'ra-w0': 'enrolled',
      'ra-w1': 'enrolled',
      'ra-w2': 'enrolled',
      'ra-w3': 'waitlisted',
      'ra-w4': 'waitlisted',
      'ra-w5': 'none',
      'ra-j0': 'waitlisted',
    });
    // Each promoted once: one `promoted` entry, one email.
    for (const s of ['ra-w0', 'ra-w1', 'ra-w2'])
      expect((await historyTypes(s, id)).filter((t) => t === 'promoted')).toHaveLength(1);
    const promotedMails = (s: string) =>
      sink.messages.filter(
        (m) => m.to.includes(`${s}@example.edu`) && !m.subject.startsWith('Waitlisted'),
      );
    await eventually(
      () => ['ra-w0', 'ra-w1', 'ra-w2'].every((s) => promotedMails(s).length >= 1),
      SLOW,
    );
    for (const s of ['ra-w0', 'ra-w1', 'ra-w2']) expect(promotedMails(s)).toHaveLength(1);
  });

  it('offer mode: an accept, a decline, a drop and a capacity raise at once', async () => {
    const TERM = '2037-FALL';
    await one.get(TermsRepository).put(
      fallTerm(TERM, {
        registration_opens_at: '2020-01-01T00:00:00Z',
        waitlist_mode: 'offer',
        offer_hold_minutes: 60,
      }),
    );
    const id = `RO-${TERM}`;
    await stack.putCourse(id, { semester_id: TERM, capacity: 2, waitlist_capacity: 10 });
    const seated = ['ro-s0', 'ro-s1'];
    const waiting = ['ro-a', 'ro-b', 'ro-c', 'ro-d', 'ro-e'];
    for (const s of seated) expect((await add(s, id)).status).toBe(201);
    for (const s of waiting) expect((await add(s, id, true)).status).toBe(201);
    expect((await remove('ro-s0', id)).status).toBe(204);
    await eventually(async () => (await rowOf('ro-a', id))?.status === 'offered', SLOW);
    expect((await remove('ro-s1', id)).status).toBe(204);
    await eventually(async () => (await rowOf('ro-b', id))?.status === 'offered', SLOW);

    const answers = await Promise.all([
      (async () =>
        app(0)
          .post(`/api/enrollments/${id}/accept`)
          .set(await studentAuth('ro-a')))(),
      remove('ro-b', id, 1), // declines its offer: the seat goes to ro-c
      capacity(id, 3), // one more seat: to ro-d
      remove('ro-e', id, 0), // the last waiter leaves
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 204, 200, 204]);

    const everyone = [...seated, ...waiting];
    await eventually(
      async () => Object.values(await statuses(id, ['ro-c', 'ro-d'])).every((s) => s === 'offered'),
      SLOW,
    );
    const rows = await assertInvariants(id, everyone);
    expect(rows).toEqual({
      'ro-s0': 'none',
      'ro-s1': 'none',
      'ro-a': 'enrolled',
      'ro-b': 'none',
      'ro-c': 'offered',
      'ro-d': 'offered',
      'ro-e': 'none',
    });
    for (const s of ['ro-c', 'ro-d'])
      expect((await historyTypes(s, id)).filter((t) => t === 'offered')).toHaveLength(1);
  });
});
