// The cart's `waitlist: true` (DESIGN §8 cart, §9 waitlists) through the real stack (DynamoDB Local,
// Redis, BullMQ, the SMTP sink, the enrollments app's promotion worker): a full section's add joins
// its list in the cart's one transaction (status `waitlisted` with its position), validate gives the
// same answer, WAITLIST_FULL, an enroll by cart leaves the course's other lists, one email lists
// every change, the swap's drop still applies, and a cart's drop cues the promotion walk.
// Sections belong to a semester without a term item: registration is always open.
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { startSmtpSink, SmtpSink } from '@app/local-stack';
import { eventually, startApp, studentAuth, testStack } from '@app/testing';
import { EnrollmentsModule } from '../apps/enrollments/src/enrollments.module';
import { NotificationsModule } from '../apps/notifications/src/notifications.module';

const stack = testStack('cart-waitlist', {
  LOG_LEVEL: 'warn',
  OUTBOX_RELAY_INTERVAL_MS: '300',
  OUTBOX_RELAY_GRACE_MS: '1000',
});
const SLOW = 30_000;
const SEM = '2034-FALL';

jest.setTimeout(120_000);

describe('POST /api/registrations { waitlist: true }', () => {
  let sink: SmtpSink;
  let enrollments: NestExpressApplication;
  let notifications: NestExpressApplication;
  let http: ReturnType<typeof request>;

  const section = (id: string, over = {}) =>
    stack.putCourse(id, { semester_id: SEM, capacity: 1, waitlist_capacity: 5, ...over });
  const cart = async (sub: string, body: object, path = '') =>
    http
      .post(`/api/registrations${path}`)
      .set(await studentAuth(sub))
      .send(body);
  const enroll = async (sub: string, courseId: string, waitlist = false) =>
    http
      .post('/api/enrollments')
      .set(await studentAuth(sub))
      .send({ course_id: courseId, waitlist });
  const rowOf = async (sub: string, courseId: string) => await stack.enrollment(sub, courseId);
  const sectionOf = async (courseId: string) => (await stack.course(courseId))!;
  const mailsTo = (sub: string) => sink.messages.filter((m) => m.to.includes(`${sub}@example.edu`));

  beforeAll(async () => {
    sink = await startSmtpSink({});
    process.env.SMTP_URL = sink.url;
    await stack.migrate();
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

  it('joins a full section in the cart, as validate says, with its position; one email lists all', async () => {
    await section(`WA-${SEM}`);
    await section(`WB-${SEM}`);
    expect((await enroll('cw-seat', `WA-${SEM}`)).status).toBe(201);
    expect((await enroll('cw-first', `WA-${SEM}`, true)).body).toMatchObject({ position: 1 });

    const body = { add: [`WA-${SEM}`, `WB-${SEM}`], waitlist: true };
    const checked = await cart('cw-s', body, '/validate');
    expect(checked.body).toEqual({
      valid: true,
      results: [
        { course_id: `WA-${SEM}`, action: 'add', ok: true, violations: [], waitlisted: true },
        { course_id: `WB-${SEM}`, action: 'add', ok: true, violations: [] },
      ],
    });
    // Without the flag the same cart is the plain add's 409, in validate and in the submit.
    const plain = await cart('cw-s', { add: body.add }, '/validate');
    expect(plain.body.results[0].violations[0]).toMatchObject({
      code: 'COURSE_FULL',
      waitlist_available: true,
    });
    expect((await cart('cw-s', { add: body.add })).body.code).toBe('COURSE_FULL');

    const submitted = await cart('cw-s', body);
    expect(submitted.status).toBe(201);
    expect(submitted.body.results).toEqual([
      { course_id: `WA-${SEM}`, action: 'add', status: 'waitlisted', position: 2 },
      { course_id: `WB-${SEM}`, action: 'add', status: 'enrolled' },
    ]);
    expect(await rowOf('cw-s', `WA-${SEM}`)).toMatchObject({ status: 'waitlisted' });
    expect(await rowOf('cw-s', `WB-${SEM}`)).toMatchObject({ status: 'enrolled' });
    expect(await sectionOf(`WA-${SEM}`)).toMatchObject({ enrolled_count: 1, waitlist_count: 2 });
    // A waitlisted line holds no credits: only WB's are on the schedule item.
    const schedule = await stack.doc.send(
      new GetCommand({
        TableName: stack.tables.schedules,
        Key: { user_id: 'cw-s', term_id: SEM },
        ConsistentRead: true,
      }),
    );
    expect(schedule.Item).toMatchObject({ credits: (await sectionOf(`WB-${SEM}`)).credits });

    await eventually(() => mailsTo('cw-s').length >= 1, SLOW);
    expect(mailsTo('cw-s')).toHaveLength(1);
    expect(mailsTo('cw-s')[0].text).toContain(`Waitlisted for WA`);
    expect(mailsTo('cw-s')[0].text).toContain('position 2');
    expect(mailsTo('cw-s')[0].text).toContain('Enrolled in WB');

    // The list's order is the join's: the one-course joiner stays first.
    const mine = await http
      .get('/api/enrollments/me')
      .set(await studentAuth('cw-s'))
      .expect(200);
    expect(mine.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ course_id: `WA-${SEM}`, status: 'waitlisted', position: 2 }),
      ]),
    );
  });

  it('a full list is 409 WAITLIST_FULL, in validate and in the submit, and nothing is written', async () => {
    await section(`WF-${SEM}`, { waitlist_capacity: 1 });
    await section(`WG-${SEM}`);
    expect((await enroll('wf-seat', `WF-${SEM}`)).status).toBe(201);
    expect((await enroll('wf-first', `WF-${SEM}`, true)).status).toBe(201);
    const body = { add: [`WG-${SEM}`, `WF-${SEM}`], waitlist: true };
    const checked = await cart('wf-s', body, '/validate');
    expect(checked.body.valid).toBe(false);
    expect(checked.body.results[1].violations).toEqual([
      expect.objectContaining({ code: 'WAITLIST_FULL', waitlist_capacity: 1 }),
    ]);
    const refused = await cart('wf-s', body);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'WAITLIST_FULL', course_id: `WF-${SEM}` });
    expect(await rowOf('wf-s', `WG-${SEM}`)).toBeUndefined();
    expect((await sectionOf(`WF-${SEM}`)).waitlist_count).toBe(1);
  });

  it('enrolling by cart leaves the waitlists of the other sections of the course', async () => {
    await section(`XC-S1-${SEM}`);
    await section(`XC-S2-${SEM}`);
    expect((await enroll('xc-seat', `XC-S1-${SEM}`)).status).toBe(201);
    expect((await enroll('xc-s', `XC-S1-${SEM}`, true)).status).toBe(201);
    const done = await cart('xc-s', { add: [`XC-S2-${SEM}`] });
    expect(done.status).toBe(201);
    expect(await rowOf('xc-s', `XC-S2-${SEM}`)).toMatchObject({ status: 'enrolled' });
    expect(await rowOf('xc-s', `XC-S1-${SEM}`)).toBeUndefined();
    expect((await sectionOf(`XC-S1-${SEM}`)).waitlist_count).toBe(0);
  });

  it("a swap onto a waitlist drops the old section (documented), and a cart's drop cues the walk", async () => {
    await section(`SA-${SEM}`);
    await section(`SB-${SEM}`);
    expect((await enroll('sw-s', `SA-${SEM}`)).status).toBe(201);
    expect((await enroll('sw-seat', `SB-${SEM}`)).status).toBe(201);
    expect((await enroll('sw-wait', `SA-${SEM}`, true)).body).toMatchObject({ position: 1 });

    const swap = await cart('sw-s', { add: [`SB-${SEM}`], drop: [`SA-${SEM}`], waitlist: true });
    expect(swap.status).toBe(201);
    expect(swap.body.results).toEqual([
      { course_id: `SB-${SEM}`, action: 'add', status: 'waitlisted', position: 1 },
      { course_id: `SA-${SEM}`, action: 'drop', status: 'dropped' },
    ]);
    // SA's freed seat goes to its first waiter through the promotion walk the cart's event cued.
    await eventually(
      async () => (await rowOf('sw-wait', `SA-${SEM}`))?.status === 'enrolled',
      SLOW,
    );
    expect(await sectionOf(`SA-${SEM}`)).toMatchObject({ enrolled_count: 1, waitlist_count: 0 });
  });
});
