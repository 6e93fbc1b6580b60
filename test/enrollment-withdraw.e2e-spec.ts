// DESIGN §8 Lifecycle through the real stack (DynamoDB Local, Redis, BullMQ, SMTP sink): a DELETE
// drops up to the term's drop deadline, withdraws (a W, the seat freed, one email) up to the
// withdrawal deadline, and is refused after it. The time is the enrollments app's injectable Clock.
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Clock } from '@app/common';
import { TermsRepository } from '@app/data';
import { startSmtpSink, SmtpSink } from '@app/local-stack';
import { eventually, fallTerm, startApp, studentAuth, testStack, tokenFor } from '@app/testing';
import { EnrollmentsModule } from '../apps/enrollments/src/enrollments.module';
import { NotificationsModule } from '../apps/notifications/src/notifications.module';

const stack = testStack('withdraw', {
  LOG_LEVEL: 'warn',
  OUTBOX_RELAY_INTERVAL_MS: '300',
  OUTBOX_RELAY_GRACE_MS: '2000',
});
const TERM = '2032-FALL';
const CALENDAR = fallTerm(TERM, { max_credits: 20 });
const BEFORE_DROP = new Date('2032-09-05T12:00:00Z');
const BETWEEN = new Date('2032-10-01T12:00:00Z');
const AFTER_WITHDRAW = new Date('2032-11-02T00:00:00Z');

describe('drop and withdrawal deadlines (DELETE /api/enrollments/:course_id)', () => {
  let sink: SmtpSink;
  let enrollments: NestExpressApplication;
  let notifications: NestExpressApplication;
  let http: ReturnType<typeof request>;
  let now: jest.SpyInstance<Date, []>;
  const enroll = async (sub: string, courseId: string) =>
    http
      .post('/api/enrollments')
      .set(await studentAuth(sub))
      .send({ course_id: courseId });
  const remove = async (sub: string, courseId: string) =>
    http.delete(`/api/enrollments/${courseId}`).set(await studentAuth(sub));
  const mailsTo = (address: string) => sink.messages.filter((m) => m.to.includes(address));
  const outboxOf = async (userId: string) =>
    (
      await stack.doc.send(
        new ScanCommand({
          TableName: stack.tables.outbox,
          FilterExpression: 'user_id = :u',
          ExpressionAttributeValues: { ':u': userId },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];

  beforeAll(async () => {
    sink = await startSmtpSink({});
    process.env.SMTP_URL = sink.url;
    await stack.migrate();
    await Promise.all(
      ['W1', 'W2', 'W3', 'W4'].map((c) =>
        stack.putCourse(`${c}-2032-FALL`, { semester_id: TERM, credits: 4, capacity: 10 }),
      ),
    );
    enrollments = await startApp(EnrollmentsModule);
    notifications = await startApp(NotificationsModule);
    http = request(enrollments.getHttpServer());
    await enrollments.get(TermsRepository).put(CALENDAR);
    now = jest.spyOn(enrollments.get(Clock), 'now').mockReturnValue(BEFORE_DROP);
  });

  afterAll(async () => {
    await enrollments?.close();
    await notifications?.close();
    await sink?.stop();
    await stack.drop();
  });

  it('up to the drop deadline: 204, the row is gone and the seat freed', async () => {
    now.mockReturnValue(BEFORE_DROP);
    expect((await enroll('wd-drop', 'W1-2032-FALL')).status).toBe(201);
    expect(await stack.enrolledCount('W1-2032-FALL')).toBe(1);
    const res = await remove('wd-drop', 'W1-2032-FALL');
    expect(res.status).toBe(204);
    expect(await stack.enrolledCount('W1-2032-FALL')).toBe(0);
    expect((await remove('wd-drop', 'W1-2032-FALL')).body.code).toBe('NOT_ENROLLED');
  });

  it('between the deadlines: 200 withdrawn, seat freed once, one email; again 409 ALREADY_WITHDRAWN', async () => {
    now.mockReturnValue(BEFORE_DROP);
    expect((await enroll('wd-w', 'W2-2032-FALL')).status).toBe(201);
    expect((await enroll('wd-w', 'W3-2032-FALL')).status).toBe(201);
    expect(await stack.enrolledCount('W2-2032-FALL')).toBe(1);
    now.mockReturnValue(BETWEEN);
    const res = await remove('wd-w', 'W2-2032-FALL');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      enrollment_id: 'wd-w#W2-2032-FALL',
      user_id: 'wd-w',
      course_id: 'W2-2032-FALL',
      semester_id: TERM,
      enrolled_at: expect.any(String),
      status: 'withdrawn',
      withdrawn_at: BETWEEN.toISOString(),
    });
    expect(await stack.enrolledCount('W2-2032-FALL')).toBe(0);

    const again = await remove('wd-w', 'W2-2032-FALL');
    expect({ status: again.status, code: again.body.code }).toEqual({
      status: 409,
      code: 'ALREADY_WITHDRAWN',
    });
    expect(await stack.enrolledCount('W2-2032-FALL')).toBe(0);
    // Re-adding a withdrawn section the same term is refused (Banner: the W stays).
    now.mockReturnValue(BEFORE_DROP);
    const readd = await enroll('wd-w', 'W2-2032-FALL');
    expect({ status: readd.status, code: readd.body.code }).toEqual({
      status: 409,
      code: 'ALREADY_WITHDRAWN',
    });
    expect(await stack.enrolledCount('W2-2032-FALL')).toBe(0);

    // "me" shows each row's status and only API fields.
    const me = await http
      .get('/api/enrollments/me')
      .set(await studentAuth('wd-w'))
      .expect(200);
    expect(me.body.items.map((r: Record<string, unknown>) => [r.course_id, r.status])).toEqual([
      ['W2-2032-FALL', 'withdrawn'],
      ['W3-2032-FALL', 'enrolled'],
    ]);
    for (const row of me.body.items) {
      expect(Object.keys(row).sort()).toEqual(
        [
          'enrollment_id',
          'user_id',
          'course_id',
          'semester_id',
          'enrolled_at',
          'status',
          'course',
          ...(row.status === 'withdrawn' ? ['withdrawn_at'] : []),
        ].sort(),
      );
    }

    // The roster lists the W with its status; its total (the seat counter) does not count it.
    const admin = { Authorization: `Bearer ${await tokenFor({ sub: 'wd-admin', role: 'admin' })}` };
    await eventually(async () => {
      const roster = await http.get('/api/courses/W2-2032-FALL/enrollments').set(admin);
      return roster.status === 200 && roster.body.items[0]?.status === 'withdrawn';
    });
    const roster = await http.get('/api/courses/W2-2032-FALL/enrollments').set(admin).expect(200);
    expect(roster.body.total).toBe(0);
    expect(roster.body.items).toEqual([
      expect.objectContaining({ user_id: 'wd-w', status: 'withdrawn' }),
    ]);
    expect(roster.body.items[0]).not.toHaveProperty('semester_enrolled');

    // One withdrawal email (after the two confirmations), sent once through the outbox.
    await eventually(() => mailsTo('wd-w@example.edu').some((m) => /withdrawn/i.test(m.subject)));
    const withdrawn = (await outboxOf('wd-w')).filter((e) => e.type === 'enrollment.withdrawn');
    expect(withdrawn).toHaveLength(1);
    await eventually(async () => {
      const e = (await outboxOf('wd-w')).find((i) => i.type === 'enrollment.withdrawn');
      return e?.sent_at !== undefined;
    });
    expect(mailsTo('wd-w@example.edu').filter((m) => /withdrawn/i.test(m.subject))).toHaveLength(1);
    expect(mailsTo('wd-w@example.edu').find((m) => /withdrawn/i.test(m.subject))?.text).toMatch(
      /A W is recorded/,
    );
  });

  it('after the withdrawal deadline: 409 WITHDRAW_DEADLINE_PASSED, nothing changes', async () => {
    now.mockReturnValue(BEFORE_DROP);
    expect((await enroll('wd-late', 'W4-2032-FALL')).status).toBe(201);
    now.mockReturnValue(AFTER_WITHDRAW);
    const res = await remove('wd-late', 'W4-2032-FALL');
    expect({ status: res.status, code: res.body.code }).toEqual({
      status: 409,
      code: 'WITHDRAW_DEADLINE_PASSED',
    });
    expect(res.body.withdraw_deadline).toBe(CALENDAR.withdraw_deadline);
    expect(await stack.enrolledCount('W4-2032-FALL')).toBe(1);
    const me = await http
      .get('/api/enrollments/me')
      .set(await studentAuth('wd-late'))
      .expect(200);
    expect(me.body.items.map((r: { status: string }) => r.status)).toEqual(['enrolled']);
  });
});
