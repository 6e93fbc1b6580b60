// Waitlists (DESIGN §9) through the real stack (DynamoDB Local, Redis, BullMQ, the SMTP sink):
// joins with positions, leaving, WAITLIST_FULL, the last place under concurrency, no
// queue-jumping, promotion in order by the enrollments app's worker (skipping ineligible students,
// who keep their place), removal from other sections' lists on enrolling, and each email once.
// Sections here belong to a semester without a term item: registration is always open.
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { Queue } from 'bullmq';
import { Clock, closeRedis, createRedisClient, redisSettings } from '@app/common';
import type { RedisClient } from '@app/common';
import { EnrollmentsRepository, TermsRepository } from '@app/data';
import { startSmtpSink, SmtpSink } from '@app/local-stack';
import { offerExpiryJobId, promotionJobId, WAITLIST_QUEUE } from '@app/messaging';
import { authAs, eventually, fallTerm, startApp, studentAuth, testStack } from '@app/testing';
import { CoursesModule } from '../apps/courses/src/courses.module';
import { EnrollmentsModule } from '../apps/enrollments/src/enrollments.module';
import { NotificationsModule } from '../apps/notifications/src/notifications.module';
import { PromotionService } from '../apps/enrollments/src/waitlist/promotion.service';

// A fast relay: on a loaded machine an enqueue on the request path may time out, and the relay is
// what then queues the email and the promotion walk.
const stack = testStack('waitlist', {
  LOG_LEVEL: 'warn',
  OUTBOX_RELAY_INTERVAL_MS: '300',
  OUTBOX_RELAY_GRACE_MS: '1000',
});
const SLOW = 30_000; // eventually's deadline: a busy shared machine
const SEM = '2033-FALL';

jest.setTimeout(120_000);

describe('waitlists (POST /api/enrollments { waitlist: true })', () => {
  let sink: SmtpSink;
  let enrollments: NestExpressApplication;
  let notifications: NestExpressApplication;
  let courses: NestExpressApplication;
  let second: NestExpressApplication; // a second enrollments instance: two promotion workers
  let http: ReturnType<typeof request>;
  let walks: Queue;
  let admin: Record<string, string>;

  const section = (id: string, over = {}) =>
    stack.putCourse(id, { semester_id: SEM, capacity: 1, waitlist_capacity: 5, ...over });
  const add = async (sub: string, courseId: string, waitlist?: boolean) =>
    http
      .post('/api/enrollments')
      .set(await studentAuth(sub))
      .send(waitlist === undefined ? { course_id: courseId } : { course_id: courseId, waitlist });
  const remove = async (sub: string, courseId: string) =>
    http.delete(`/api/enrollments/${courseId}`).set(await studentAuth(sub));
  const mine = async (sub: string) =>
    (
      await http
        .get('/api/enrollments/me')
        .set(await studentAuth(sub))
        .expect(200)
    ).body.items as {
      course_id: string;
      status: string;
      position?: number;
    }[];
  const rowOf = async (sub: string, courseId: string) => await stack.enrollment(sub, courseId);
  const sectionOf = async (courseId: string) => (await stack.course(courseId))!;
  /** The section's promotion walk is neither waiting nor running. */
  const noWalk = async (courseId: string) =>
    (await walks.getJob(promotionJobId(courseId))) === undefined;
  const mailsTo = (sub: string) => sink.messages.filter((m) => m.to.includes(`${sub}@example.edu`));

  beforeAll(async () => {
    sink = await startSmtpSink({});
    process.env.SMTP_URL = sink.url;
    await stack.migrate();
    enrollments = await startApp(EnrollmentsModule);
    notifications = await startApp(NotificationsModule);
    courses = await startApp(CoursesModule);
    second = await startApp(EnrollmentsModule);
    http = request(enrollments.getHttpServer());
    admin = await authAs('wl-admin', 'admin');
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
    await second?.close();
    await sink?.stop();
    await stack.drop();
  });

  it('joins with positions, shows them, leaves with 204 and no email, refuses a full list', async () => {
    await section('J1-2033-FALL', { waitlist_capacity: 2 });
    expect((await add('j-seat', 'J1-2033-FALL')).status).toBe(201);

    const plain = await add('j-a', 'J1-2033-FALL');
    expect(plain.status).toBe(409);
    expect(plain.body).toMatchObject({
      code: 'COURSE_FULL',
      waitlist_available: true,
      waitlist_count: 0,
    });

    const a = await add('j-a', 'J1-2033-FALL', true);
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ course_id: 'J1-2033-FALL', status: 'waitlisted', position: 1 });
    expect(a.body).not.toHaveProperty('waitlist_key');
    expect(a.body).not.toHaveProperty('enrolled_at');
    const b = await add('j-b', 'J1-2033-FALL', true);
    expect(b.body).toMatchObject({ status: 'waitlisted', position: 2 });
    expect((await add('j-b', 'J1-2033-FALL', true)).body.code).toBe('ALREADY_WAITLISTED');

    const full = await add('j-c', 'J1-2033-FALL', true);
    expect(full.status).toBe(409);
    expect(full.body).toMatchObject({ code: 'WAITLIST_FULL', waitlist_capacity: 2 });
    expect(await rowOf('j-c', 'J1-2033-FALL')).toBeUndefined();

    expect(await mine('j-b')).toEqual([
      expect.objectContaining({ course_id: 'J1-2033-FALL', status: 'waitlisted', position: 2 }),
    ]);

    // The section's list: its instructor and admins, in order; the roster does not list waiters.
    const list = await http
      .get('/api/courses/J1-2033-FALL/waitlist')
      .set(await authAs('i1', 'instructor'))
      .expect(200);
    expect(
      list.body.items.map((r: { user_id: string; position: number }) => [r.user_id, r.position]),
    ).toEqual([
      ['j-a', 1],
      ['j-b', 2],
    ]);
    const page1 = await http
      .get('/api/courses/J1-2033-FALL/waitlist?limit=1')
      .set(admin)
      .expect(200);
    const page2 = await http
      .get(`/api/courses/J1-2033-FALL/waitlist?limit=1&cursor=${page1.body.next_cursor}`)
      .set(admin)
      .expect(200);
    expect(page2.body.items).toEqual([expect.objectContaining({ user_id: 'j-b', position: 2 })]);
    const other = await http
      .get('/api/courses/J1-2033-FALL/waitlist')
      .set(await authAs('i2', 'instructor'));
    expect(other.body.code).toBe('NOT_COURSE_INSTRUCTOR');
    const roster = await http.get('/api/courses/J1-2033-FALL/enrollments').set(admin).expect(200);
    expect(roster.body.items.map((r: { user_id: string }) => r.user_id)).toEqual(['j-seat']);

    // Leaving: 204, the place is free again, and the one behind moves up.
    expect((await remove('j-a', 'J1-2033-FALL')).status).toBe(204);
    expect(await rowOf('j-a', 'J1-2033-FALL')).toBeUndefined();
    expect((await sectionOf('J1-2033-FALL')).waitlist_count).toBe(1);
    let moved: { position?: number }[] = [];
    await eventually(async () => (moved = await mine('j-b'))[0]?.position === 1, SLOW);
    expect(moved[0].position).toBe(1);
    expect((await add('j-c', 'J1-2033-FALL', true)).body).toMatchObject({ position: 2 });

    // Emails: one "waitlisted" with its position for each join; none for leaving.
    await eventually(() => ['j-a', 'j-b', 'j-c'].every((s) => mailsTo(s).length >= 1), SLOW);
    expect(mailsTo('j-a').map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Waitlisted: J1/),
    ]);
    expect(mailsTo('j-a')[0].text).toContain('at position 1');
    expect(mailsTo('j-b')[0].text).toContain('at position 2');
  });

  it('replays a join sent again with its Idempotency-Key, with the position as it is now', async () => {
    await section('IDEM-2033-FALL', { enrolled_count: 1 });
    const send = async (sub: string) =>
      http
        .post('/api/enrollments')
        .set(await studentAuth(sub))
        .set('Idempotency-Key', `join-${sub}-0001`)
        .send({ course_id: 'IDEM-2033-FALL', waitlist: true });
    expect((await send('i-first')).body).toMatchObject({ position: 1 });
    const first = await send('i-second');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'waitlisted', position: 2 });
    expect((await remove('i-first', 'IDEM-2033-FALL')).status).toBe(204);
    const again = await send('i-second');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toMatchObject({ status: 'waitlisted', position: 1 });
    expect((await sectionOf('IDEM-2033-FALL')).waitlist_count).toBe(1);
  });

  it('admits exactly one of many concurrent joins for the last place', async () => {
    await section('RACE-2033-FALL', { enrolled_count: 1, waitlist_capacity: 1 });
    const subs = Array.from({ length: 8 }, (_, i) => `race-${i}`);
    const answers = await Promise.all(subs.map((s) => add(s, 'RACE-2033-FALL', true)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(7).fill(409)]);
    expect(answers.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(
      Array(7).fill('WAITLIST_FULL'),
    );
    expect((await sectionOf('RACE-2033-FALL')).waitlist_count).toBe(1);
  });

  it('holds a freed seat for the waiting (no queue-jumping), then opens it when nobody waiting is eligible', async () => {
    await section('Q1-2033-FALL', { capacity: 2 });
    expect((await add('q-seat1', 'Q1-2033-FALL')).status).toBe(201);
    expect((await add('q-seat2', 'Q1-2033-FALL')).status).toBe(201);
    expect((await add('q-wait', 'Q1-2033-FALL', true)).body).toMatchObject({ position: 1 });
    // The join's own walk (queued with its email) has run, so none runs in the window below.
    await eventually(
      async () => mailsTo('q-wait').length === 1 && (await noWalk('Q1-2033-FALL')),
      SLOW,
    );

    // The window between a drop and its promotion, held still: a seat is free, a student waits.
    await stack.setEnrolled('Q1-2033-FALL', 1);
    const jump = await add('q-jump', 'Q1-2033-FALL');
    expect(jump.status).toBe(409);
    expect(jump.body).toMatchObject({ code: 'COURSE_FULL', waitlist_available: true });
    // The write itself refuses it too (the takeSeat condition), whatever a snapshot said.
    await expect(
      enrollments.get(EnrollmentsRepository).enroll({
        userId: 'q-jump',
        courseId: 'Q1-2033-FALL',
        semesterId: SEM,
        actor: 'q-jump',
      }),
    ).rejects.toMatchObject({ code: 'COURSE_FULL', details: { waitlist_available: true } });
    await stack.setEnrolled('Q1-2033-FALL', 2);

    // The only waiter becomes ineligible (a hold after joining); a drop frees a seat: the walk
    // skips them (they keep their place, no email) and the seat opens to everyone.
    await http.patch('/api/users/q-wait').set(admin).send({ priority_group: 'junior' }).expect(200);
    await http
      .post('/api/users/q-wait/holds')
      .set(admin)
      .send({ code: 'BURSAR', reason: 'unpaid' })
      .expect(201);
    expect((await remove('q-seat1', 'Q1-2033-FALL')).status).toBe(204);
    await eventually(async () => (await sectionOf('Q1-2033-FALL')).waitlist_open === true, SLOW);
    expect((await sectionOf('Q1-2033-FALL')).waitlist_open).toBe(true);
    // Class search says so too: the free seat is `open` although a student waits.
    const search = await request(courses.getHttpServer())
      .get(`/api/courses?semester_id=${SEM}&limit=100`)
      .expect(200);
    expect(search.body.items).toContainEqual(
      expect.objectContaining({ course_id: 'Q1-2033-FALL', status: 'open', waitlist_count: 1 }),
    );
    expect((await add('q-jump', 'Q1-2033-FALL')).status).toBe(201);
    expect(await rowOf('q-wait', 'Q1-2033-FALL')).toMatchObject({ status: 'waitlisted' });
    expect(await mine('q-wait')).toEqual([
      expect.objectContaining({ status: 'waitlisted', position: 1 }),
    ]);
    expect(mailsTo('q-wait').map((m) => m.subject)).not.toContainEqual(
      expect.stringMatching(/^Enrolled from the waitlist/),
    );
  });

  it('promotes in order after a drop, skipping an ineligible first student who keeps their place', async () => {
    await section('P1-2033-FALL');
    expect((await add('p-seat', 'P1-2033-FALL')).status).toBe(201);
    for (const s of ['p-held', 'p-first', 'p-second'])
      expect((await add(s, 'P1-2033-FALL', true)).status).toBe(201);
    await http.patch('/api/users/p-held').set(admin).send({ priority_group: 'junior' }).expect(200);
    await http
      .post('/api/users/p-held/holds')
      .set(admin)
      .send({ code: 'REGISTRAR', reason: 'transcript' })
      .expect(201);

    expect((await remove('p-seat', 'P1-2033-FALL')).status).toBe(204);
    const dropped = Date.now();
    let latencyMs = -1;
    await eventually(async () => {
      const promoted = (await rowOf('p-first', 'P1-2033-FALL'))?.status === 'enrolled';
      if (promoted && latencyMs < 0) latencyMs = Date.now() - dropped;
      return promoted;
    }, SLOW);
    expect(await rowOf('p-first', 'P1-2033-FALL')).toMatchObject({ status: 'enrolled' });
    console.log(`waitlist promotion latency (drop answered → row enrolled): ${latencyMs} ms`);

    const promoted = await rowOf('p-first', 'P1-2033-FALL');
    expect(promoted).not.toHaveProperty('waitlist_key');
    expect(promoted?.enrolled_at).toEqual(expect.any(String));
    expect(await sectionOf('P1-2033-FALL')).toMatchObject({ enrolled_count: 1, waitlist_count: 2 });
    // The skipped student keeps first place; the next waits behind them.
    const list = await http.get('/api/courses/P1-2033-FALL/waitlist').set(admin).expect(200);
    expect(list.body.items.map((r: { user_id: string }) => r.user_id)).toEqual([
      'p-held',
      'p-second',
    ]);
    expect(await mine('p-first')).toEqual([
      expect.objectContaining({ status: 'enrolled', course_id: 'P1-2033-FALL' }),
    ]);
    const roster = await http.get('/api/courses/P1-2033-FALL/enrollments').set(admin).expect(200);
    expect(roster.body.items.map((r: { user_id: string }) => r.user_id)).toEqual(['p-first']);

    // The history: the skip (kept place, its reason) and the promotion, by `system`.
    const historyOf = async (sub: string) =>
      (await http.get(`/api/users/${sub}/history`).set(admin).expect(200)).body.items as {
        type: string;
        actor: string;
        reason?: string;
      }[];
    expect((await historyOf('p-first')).map((e) => [e.type, e.actor])).toEqual([
      ['promoted', 'system'],
      ['waitlisted', 'p-first'],
    ]);
    expect(await historyOf('p-held')).toContainEqual(
      expect.objectContaining({ type: 'waitlist_skipped', actor: 'system', reason: 'HOLD' }),
    );

    // One promotion email, once; the waiting and the skipped get none.
    await eventually(() => mailsTo('p-first').length >= 2 && mailsTo('p-second').length >= 1, SLOW);
    const subjects = mailsTo('p-first').map((m) => m.subject);
    expect(subjects.filter((s) => s.startsWith('Enrolled from the waitlist'))).toHaveLength(1);
    expect(subjects.filter((s) => s.startsWith('Waitlisted'))).toHaveLength(1);
    for (const s of ['p-held', 'p-second'])
      expect(mailsTo(s).map((m) => m.subject)).toEqual([expect.stringMatching(/^Waitlisted/)]);
  });

  it('removes the waitlist rows of other sections of a course on enrolling (an add or a promotion)', async () => {
    await section('ELS-2033-FALL-A', { course_code: 'ELS' });
    await section('ELS-2033-FALL-B', { course_code: 'ELS' });
    await section('ELS-2033-FALL-C', { course_code: 'ELS', capacity: 5 });
    expect((await add('e-seat', 'ELS-2033-FALL-A')).status).toBe(201);
    expect((await add('e-seat2', 'ELS-2033-FALL-B')).status).toBe(201);
    expect((await add('e-both', 'ELS-2033-FALL-A', true)).status).toBe(201);
    expect((await add('e-both', 'ELS-2033-FALL-B', true)).status).toBe(201);
    expect((await add('e-add', 'ELS-2033-FALL-A', true)).status).toBe(201);

    // A plain add in C takes e-add off A's list in the same transaction.
    expect((await add('e-add', 'ELS-2033-FALL-C')).status).toBe(201);
    expect(await rowOf('e-add', 'ELS-2033-FALL-A')).toBeUndefined();
    expect((await sectionOf('ELS-2033-FALL-A')).waitlist_count).toBe(1);

    // A promotion in A takes e-both off B's list.
    expect((await remove('e-seat', 'ELS-2033-FALL-A')).status).toBe(204);
    await eventually(
      async () => (await rowOf('e-both', 'ELS-2033-FALL-A'))?.status === 'enrolled',
      SLOW,
    );
    expect(await rowOf('e-both', 'ELS-2033-FALL-A')).toMatchObject({ status: 'enrolled' });
    expect(await rowOf('e-both', 'ELS-2033-FALL-B')).toBeUndefined();
    expect(await sectionOf('ELS-2033-FALL-B')).toMatchObject({ waitlist_count: 0 });
    // B's list is empty now: its seats are everyone's again.
    expect((await remove('e-seat2', 'ELS-2033-FALL-B')).status).toBe(204);
    expect((await add('e-late', 'ELS-2033-FALL-B')).status).toBe(201);
  });

  it('promotes when a capacity raise frees seats (the courses app writes the event, the relay queues the walk)', async () => {
    await section('CAP-2033-FALL');
    expect((await add('c-seat', 'CAP-2033-FALL')).status).toBe(201);
    expect((await add('c-wait1', 'CAP-2033-FALL', true)).status).toBe(201);
    expect((await add('c-wait2', 'CAP-2033-FALL', true)).status).toBe(201);
    await request(courses.getHttpServer())
      .patch('/api/courses/CAP-2033-FALL')
      .set(admin)
      .send({ capacity: 3 })
      .expect(200);
    await eventually(async () => (await sectionOf('CAP-2033-FALL')).waitlist_count === 0, SLOW);
    expect(await sectionOf('CAP-2033-FALL')).toMatchObject({
      enrolled_count: 3,
      waitlist_count: 0,
    });
    expect(await rowOf('c-wait2', 'CAP-2033-FALL')).toMatchObject({ status: 'enrolled' });
  });

  it('promotes each freed seat once, in order, with two instances dropping and walking at once', async () => {
    await section('MULTI-2033-FALL', { capacity: 3 });
    const seated = ['m-s1', 'm-s2', 'm-s3'];
    const waiting = ['m-w1', 'm-w2', 'm-w3', 'm-w4', 'm-w5'];
    for (const s of seated) expect((await add(s, 'MULTI-2033-FALL')).status).toBe(201);
    for (const s of waiting) expect((await add(s, 'MULTI-2033-FALL', true)).status).toBe(201);
    const other = request(second.getHttpServer());
    const drops = await Promise.all(
      seated.map(async (s, i) =>
        (i % 2 === 0 ? http : other)
          .delete('/api/enrollments/MULTI-2033-FALL')
          .set(await studentAuth(s)),
      ),
    );
    expect(drops.map((r) => r.status)).toEqual([204, 204, 204]);
    await eventually(async () => (await sectionOf('MULTI-2033-FALL')).waitlist_count === 2, SLOW);
    expect(await sectionOf('MULTI-2033-FALL')).toMatchObject({
      enrolled_count: 3,
      waitlist_count: 2,
    });
    const statuses = await Promise.all(
      waiting.map(async (s) => (await rowOf(s, 'MULTI-2033-FALL'))?.status),
    );
    expect(statuses).toEqual(['enrolled', 'enrolled', 'enrolled', 'waitlisted', 'waitlisted']);
    await eventually(() => waiting.slice(0, 3).every((s) => mailsTo(s).length >= 2), SLOW);
    for (const s of waiting.slice(0, 3))
      expect(
        mailsTo(s).filter((m) => m.subject.startsWith('Enrolled from the waitlist')),
      ).toHaveLength(1);
  });

  it('offer mode: a freed seat is held for the first waiter, declined (204), accepted (200), or lapses', async () => {
    const TERM = '2034-FALL';
    await enrollments.get(TermsRepository).put(
      fallTerm(TERM, {
        registration_opens_at: '2020-01-01T00:00:00Z',
        waitlist_mode: 'offer',
        offer_hold_minutes: 60,
      }),
    );
    const id = 'OFR-2034-FALL';
    await section(id, { semester_id: TERM });
    expect((await add('o-seat', id)).status).toBe(201);
    for (const s of ['o-a', 'o-b', 'o-c']) expect((await add(s, id, true)).status).toBe(201);
    const offered = async (sub: string) => (await rowOf(sub, id))?.status === 'offered';

    // A drop: the seat is offered to o-a and held (no plain add takes it).
    expect((await remove('o-seat', id)).status).toBe(204);
    await eventually(() => offered('o-a'), SLOW);
    const offer = await rowOf('o-a', id);
    expect(offer).toMatchObject({ status: 'offered' });
    expect(offer).not.toHaveProperty('waitlist_key');
    const expiresAt = offer!.offer_expires_at as string;
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(55 * 60_000);
    expect(await sectionOf(id)).toMatchObject({ enrolled_count: 1, waitlist_count: 2 });
    expect((await add('o-jump', id)).body.code).toBe('COURSE_FULL');
    const expiry = await walks.getJob(offerExpiryJobId('o-a', id, expiresAt));
    expect(expiry?.opts.delay).toBeGreaterThan(55 * 60_000);
    await eventually(
      () => mailsTo('o-a').some((m) => m.subject.startsWith('A seat is offered')),
      SLOW,
    );
    expect(mailsTo('o-a').find((m) => m.subject.startsWith('A seat is offered'))?.text).toContain(
      `held for you until ${expiresAt}`,
    );

    // Declined: the seat goes to o-b; o-b accepts.
    expect((await remove('o-a', id)).status).toBe(204);
    await eventually(() => offered('o-b'), SLOW);
    const accepted = await http.post(`/api/enrollments/${id}/accept`).set(await studentAuth('o-b'));
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ course_id: id, status: 'enrolled' });
    expect(accepted.body).not.toHaveProperty('offer_expires_at');
    const again = await http.post(`/api/enrollments/${id}/accept`).set(await studentAuth('o-b'));
    expect(again.body.code).toBe('NO_OFFER');

    // o-b drops: o-c is offered; past its time the accept is refused and the offer lapses.
    expect((await remove('o-b', id)).status).toBe(204);
    await eventually(() => offered('o-c'), SLOW);
    const promotions = enrollments.get(PromotionService);
    expect(await promotions.expire('o-c', id)).toBe(false); // not yet expired
    const clock = jest
      .spyOn(enrollments.get(Clock), 'now')
      .mockReturnValue(new Date(Date.now() + 61 * 60_000));
    try {
      const late = await http.post(`/api/enrollments/${id}/accept`).set(await studentAuth('o-c'));
      expect({ status: late.status, code: late.body.code }).toEqual({
        status: 409,
        code: 'OFFER_EXPIRED',
      });
      expect(await promotions.expire('o-c', id)).toBe(true);
    } finally {
      clock.mockRestore();
    }
    expect(await rowOf('o-c', id)).toBeUndefined();
    expect(await sectionOf(id)).toMatchObject({ enrolled_count: 0, waitlist_count: 0 });
    await eventually(() => mailsTo('o-c').some((m) => m.subject.startsWith('Offer expired')), SLOW);
    expect(mailsTo('o-c').filter((m) => m.subject.startsWith('Offer expired'))).toHaveLength(1);
    expect((await add('o-late', id)).status).toBe(201);
  });
});
