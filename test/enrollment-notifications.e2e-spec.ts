import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { GSI } from '@app/data';
import { startSmtpSink, SmtpSink } from '@app/local-stack';
import { eventually, startApp, testStack, tokenFor } from '@app/testing';
import { EnrollmentsModule } from '../apps/enrollments/src/enrollments.module';
import { NotificationsModule } from '../apps/notifications/src/notifications.module';

const stack = testStack('enroll', {
  LOG_LEVEL: 'warn',
  OUTBOX_RELAY_INTERVAL_MS: '300',
  OUTBOX_RELAY_GRACE_MS: '2000',
});
const { doc, tables } = stack;

const putCourse = (id: string, capacity: number) => stack.putCourse(id, { capacity });
const enrolledCount = async (id: string) =>
  (
    await doc.send(
      new GetCommand({ TableName: tables.courses, Key: { course_id: id }, ConsistentRead: true }),
    )
  ).Item?.enrolled_count;

describe('enrollments and notifications (DynamoDB Local, Redis, BullMQ, SMTP sink)', () => {
  let sink: SmtpSink;
  let enrollments: NestExpressApplication;
  let notifications: NestExpressApplication;
  let http: ReturnType<typeof request>;
  const students: Record<string, string> = {};
  const student = async (sub: string) =>
    (students[sub] ??= await tokenFor({ sub, role: 'student', email: `${sub}@example.edu` }));
  const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
  const enroll = (token: string, courseId: string) =>
    http.post('/api/enrollments').set(auth(token)).send({ course_id: courseId });
  const mailsTo = (address: string) => sink.messages.filter((m) => m.to.includes(address));

  beforeAll(async () => {
    sink = await startSmtpSink({});
    process.env.SMTP_URL = sink.url;
    await stack.migrate();
    await Promise.all([
      putCourse('RUSH1-2026-FALL', 10),
      putCourse('CS101-2026-FALL', 50),
      putCourse('CS102-2026-FALL', 50),
    ]);
    await stack.putUser('profiled', {
      email: 'real-address@example.edu',
      name: 'Pro Filed',
      role: 'student',
    });
    enrollments = await startApp(EnrollmentsModule);
    notifications = await startApp(NotificationsModule);
    http = request(enrollments.getHttpServer());
  });

  afterAll(async () => {
    await enrollments?.close();
    await notifications?.close();
    await sink?.stop();
    await stack.drop();
  });

  it('200 concurrent enrollments into a 10-seat course: exactly 10 succeed, 10 emails', async () => {
    const tokens = await Promise.all(Array.from({ length: 200 }, (_, i) => student(`rush${i}`)));
    const responses = await Promise.all(tokens.map((t) => enroll(t, 'RUSH1-2026-FALL')));
    const byStatus = responses.reduce<Record<number, number>>(
      (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
      {},
    );
    expect(byStatus).toEqual({ 201: 10, 409: 190 });
    expect(
      responses.filter((r) => r.status === 409).every((r) => r.body.code === 'COURSE_FULL'),
    ).toBe(true);
    expect(await enrolledCount('RUSH1-2026-FALL')).toBe(10);
    const rows = await doc.send(
      new QueryCommand({
        TableName: tables.enrollments,
        IndexName: GSI.enrollmentsByCourse,
        KeyConditionExpression: 'course_id = :c',
        ExpressionAttributeValues: { ':c': 'RUSH1-2026-FALL' },
      }),
    );
    expect(rows.Count).toBe(10);
    const mails = await sink.waitFor(10, 20_000);
    const winners = responses
      .filter((r) => r.status === 201)
      .map((r) => `${r.body.user_id}@example.edu`)
      .sort();
    expect(mails.flatMap((m) => m.to).sort()).toEqual(winners);
    expect(mails.every((m) => /RUSH1/.test(m.subject))).toBe(true);
    await new Promise((r) => setTimeout(r, 1000));
    expect(sink.messages).toHaveLength(10);
  });

  it('rejects a second enrollment, unknown courses and bad input', async () => {
    const t = await student('dup');
    await enroll(t, 'CS101-2026-FALL').expect(201);
    expect((await enroll(t, 'CS101-2026-FALL').expect(409)).body.code).toBe('ALREADY_ENROLLED');
    expect((await enroll(t, 'NOPE-1').expect(404)).body.code).toBe('COURSE_NOT_FOUND');
    expect((await http.post('/api/enrollments').set(auth(t)).send({}).expect(400)).body.code).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      (
        await http
          .post('/api/enrollments')
          .set(auth(t))
          .send({ course_id: 'CS101-2026-FALL', extra: 1 })
          .expect(400)
      ).body.code,
    ).toBe('VALIDATION_FAILED');
    const instructor = await tokenFor({ sub: 'i1', role: 'instructor' });
    expect((await enroll(instructor, 'CS101-2026-FALL').expect(403)).body.code).toBe(
      'FORBIDDEN_ROLE',
    );
    await http.post('/api/enrollments').send({ course_id: 'CS101-2026-FALL' }).expect(401);
  });

  it('drop frees the seat, emails the student, and 404s when not enrolled', async () => {
    const t = await student('dropper');
    await enroll(t, 'CS102-2026-FALL').expect(201);
    expect(await enrolledCount('CS102-2026-FALL')).toBe(1);
    await http.delete('/api/enrollments/CS102-2026-FALL').set(auth(t)).expect(204);
    expect(await enrolledCount('CS102-2026-FALL')).toBe(0);
    expect(
      (await http.delete('/api/enrollments/CS102-2026-FALL').set(auth(t)).expect(404)).body.code,
    ).toBe('NOT_ENROLLED');
    await eventually(() => mailsTo('dropper@example.edu').length >= 2);
    await new Promise((r) => setTimeout(r, 500));
    const subjects = mailsTo('dropper@example.edu').map((m) => m.subject);
    expect(subjects).toHaveLength(2);
    expect(subjects.filter((s) => /drop/i.test(s))).toHaveLength(1);
  });

  it('Idempotency-Key replays the first response and creates nothing new', async () => {
    const t = await student('idem');
    const key = 'f3b2c1d0-0000-4000-8000-000000000001';
    const first = await http
      .post('/api/enrollments')
      .set(auth(t))
      .set('Idempotency-Key', key)
      .send({ course_id: 'CS101-2026-FALL' })
      .expect(201);
    const before = await enrolledCount('CS101-2026-FALL');
    const again = await http
      .post('/api/enrollments')
      .set(auth(t))
      .set('Idempotency-Key', key)
      .send({ course_id: 'CS101-2026-FALL' })
      .expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await enrolledCount('CS101-2026-FALL')).toBe(before);
    const reused = await http
      .post('/api/enrollments')
      .set(auth(t))
      .set('Idempotency-Key', key)
      .send({ course_id: 'CS102-2026-FALL' })
      .expect(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // The same key from another user is a different key.
    await http
      .post('/api/enrollments')
      .set(auth(await student('idem2')))
      .set('Idempotency-Key', key)
      .send({ course_id: 'CS101-2026-FALL' })
      .expect(201);
    expect(
      (
        await http
          .post('/api/enrollments')
          .set(auth(t))
          .set('Idempotency-Key', 'short')
          .send({ course_id: 'CS101-2026-FALL' })
          .expect(400)
      ).body.code,
    ).toBe('INVALID_IDEMPOTENCY_KEY');
  });

  it('my enrollments: one page with course cards, cached per user, invalidated by enroll and drop', async () => {
    const a = await student('mine-a');
    const b = await student('mine-b');
    await enroll(a, 'CS101-2026-FALL').expect(201);
    const first = await http.get('/api/enrollments/me').set(auth(a)).expect(200);
    expect(first.headers['x-cache']).toBe('MISS');
    expect(first.body.items).toEqual([
      expect.objectContaining({
        course_id: 'CS101-2026-FALL',
        user_id: 'mine-a',
        course: expect.objectContaining({ title: 'Course CS101-2026-FALL' }),
      }),
    ]);
    expect(
      (await http.get('/api/enrollments/me').set(auth(a)).expect(200)).headers['x-cache'],
    ).toBe('HIT');
    const other = await http.get('/api/enrollments/me').set(auth(b)).expect(200);
    expect(other.headers['x-cache']).toBe('MISS');
    expect(other.body.items).toEqual([]);

    await enroll(a, 'CS102-2026-FALL').expect(201);
    const afterEnroll = await http.get('/api/enrollments/me').set(auth(a)).expect(200);
    expect(afterEnroll.body.items.map((e: { course_id: string }) => e.course_id).sort()).toEqual([
      'CS101-2026-FALL',
      'CS102-2026-FALL',
    ]);
    await http.delete('/api/enrollments/CS101-2026-FALL').set(auth(a)).expect(204);
    const afterDrop = await http.get('/api/enrollments/me').set(auth(a)).expect(200);
    expect(afterDrop.body.items.map((e: { course_id: string }) => e.course_id)).toEqual([
      'CS102-2026-FALL',
    ]);
    expect((await http.get('/api/enrollments/me?limit=0').set(auth(a)).expect(400)).body.code).toBe(
      'VALIDATION_FAILED',
    );
  });

  it("roster: the course's instructor and admins only, paginated, with the total", async () => {
    const own = await tokenFor({ sub: 'i1', role: 'instructor' });
    const other = await tokenFor({ sub: 'i2', role: 'instructor' });
    const admin = await tokenFor({ sub: 'a1', role: 'admin' });
    const first = await http
      .get('/api/courses/RUSH1-2026-FALL/enrollments?limit=4')
      .set(auth(own))
      .expect(200);
    expect(first.body.total).toBe(10);
    expect(first.body.items).toHaveLength(4);
    const ids = [...first.body.items];
    let cursor = first.body.next_cursor;
    while (cursor) {
      const page = await http
        .get(
          `/api/courses/RUSH1-2026-FALL/enrollments?limit=4&cursor=${encodeURIComponent(cursor)}`,
        )
        .set(auth(admin))
        .expect(200);
      ids.push(...page.body.items);
      cursor = page.body.next_cursor;
    }
    expect(new Set(ids.map((e: { user_id: string }) => e.user_id)).size).toBe(10);
    expect(
      (await http.get('/api/courses/RUSH1-2026-FALL/enrollments').set(auth(other)).expect(403)).body
        .code,
    ).toBe('NOT_COURSE_INSTRUCTOR');
    expect(
      (
        await http
          .get('/api/courses/RUSH1-2026-FALL/enrollments')
          .set(auth(await student('nosy')))
          .expect(403)
      ).body.code,
    ).toBe('FORBIDDEN_ROLE');
    expect(
      (await http.get('/api/courses/NOPE-1/enrollments').set(auth(admin)).expect(404)).body.code,
    ).toBe('COURSE_NOT_FOUND');
  });

  it("profile: the Users row, cached per user; 404 USER_NOT_FOUND otherwise; the row's address gets the email", async () => {
    const t = await tokenFor({
      sub: 'profiled',
      role: 'student',
      email: 'token-address@example.edu',
    });
    const me = await http.get('/api/auth/me').set(auth(t)).expect(200);
    expect(me.body).toMatchObject({ user_id: 'profiled', email: 'real-address@example.edu' });
    expect((await http.get('/api/auth/me').set(auth(t)).expect(200)).headers['x-cache']).toBe(
      'HIT',
    );
    expect(
      (
        await http
          .get('/api/auth/me')
          .set(auth(await student('ghost')))
          .expect(404)
      ).body.code,
    ).toBe('USER_NOT_FOUND');
    await enroll(t, 'CS102-2026-FALL').expect(201);
    await eventually(() => mailsTo('real-address@example.edu').length > 0);
    expect(mailsTo('real-address@example.edu')).toHaveLength(1);
    expect(sink.messages.some((m) => m.to.includes('token-address@example.edu'))).toBe(false);
  });
});
