// POST /api/registrations through the real stack (DynamoDB Local, Redis, BullMQ, the SMTP sink): a
// cart applied in one transaction or not at all, one email for all of it, the swap that keeps the
// old section, Idempotency-Key replays, the same violations as validate, and a student's concurrent
// submits that cannot together pass the credit limit. Every check of stored data reads by key.
import { NestExpressApplication } from '@nestjs/platform-express';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import request from 'supertest';
import { Clock, ERROR_STATUS } from '@app/common';
import type { ErrorCode } from '@app/common';
import { DYNAMODB_CLIENT, TermsRepository } from '@app/data';
import { cartRejection } from '@app/registration';
import type { CartLine } from '@app/registration';
import {
  eventually,
  fallTerm,
  startApp,
  startSmtpSink,
  studentAuth,
  testStack,
  watchDynamoDbCommands,
} from '@app/testing';
import type { SmtpSink } from '@app/testing';
import { EnrollmentsModule } from '../src/enrollments.module';
import { EligibilityLoader } from '../src/registration/eligibility.loader';
import { NotificationsModule } from '../../notifications/src/notifications.module';

const stack = testStack('cart-submit', {
  LOG_LEVEL: 'warn',
  OUTBOX_RELAY_INTERVAL_MS: '300',
  OUTBOX_RELAY_GRACE_MS: '2000',
});
const TERM = '2033-FALL';
const CALENDAR = fallTerm(TERM, { max_credits: 12 });
const BEFORE_DROP = new Date('2033-09-05T12:00:00Z');
const BETWEEN = new Date('2033-10-01T12:00:00Z');
const id = (code: string) => `${code}-${TERM}`;
/** The DynamoDB reads of a one-term cart's snapshot, its term calendar cached (see the README's Cart submit). */
const SNAPSHOT_READS = [
  'BatchGetItemCommand',
  'GetItemCommand',
  'QueryCommand',
  'QueryCommand',
  'QueryCommand',
];

describe('POST /api/registrations (atomic cart submit)', () => {
  let sink: SmtpSink;
  let enrollments: NestExpressApplication;
  let notifications: NestExpressApplication;
  let http: ReturnType<typeof request>;
  let now: jest.SpyInstance<Date, []>;
  /** The commands the enrollments app sends while `run` runs: reads, and the writes among them. */
  const watched = async <T>(run: () => Promise<T>) => {
    const sent = watchDynamoDbCommands(enrollments.get<DynamoDBClient>(DYNAMODB_CLIENT));
    try {
      const result = await run();
      return {
        result,
        names: [...sent.names],
        writes: [...sent.writes],
        writesTo: [...sent.writesTo],
      };
    } finally {
      sent.stop();
    }
  };
  const reads = (w: { names: string[]; writes: string[] }) =>
    w.names.filter((n) => !w.writes.includes(n)).sort();

  const submit = async (sub: string, body: object, key?: string) => {
    const req = http
      .post('/api/registrations')
      .set(await studentAuth(sub))
      .send(body);
    return key ? req.set('Idempotency-Key', key) : req;
  };
  const validate = async (sub: string, body: object) =>
    http
      .post('/api/registrations/validate')
      .set(await studentAuth(sub))
      .send(body);
  const enroll = async (sub: string, courseId: string) =>
    http
      .post('/api/enrollments')
      .set(await studentAuth(sub))
      .send({ course_id: courseId });
  const row = async (sub: string, courseId: string) => await stack.enrollment(sub, courseId);
  const schedule = async (sub: string) =>
    (
      await stack.doc.send(
        new GetCommand({
          TableName: stack.tables.schedules,
          Key: { user_id: sub, term_id: TERM },
          ConsistentRead: true,
        }),
      )
    ).Item;
  const outboxEvent = async (eventId: string) =>
    (
      await stack.doc.send(
        new GetCommand({
          TableName: stack.tables.outbox,
          Key: { event_id: eventId },
          ConsistentRead: true,
        }),
      )
    ).Item;
  const mailsTo = (sub: string) => sink.messages.filter((m) => m.to.includes(`${sub}@example.edu`));
  const cartMailsTo = (sub: string) =>
    mailsTo(sub).filter((m) => m.subject.startsWith('Registration updated'));
  /** The email's outbox event, from its deterministic Message-ID `<event_id@course-registration>`. */
  const eventOf = (messageId: string) => /<?([^@<]+)@/.exec(messageId)![1];

  beforeAll(async () => {
    sink = await startSmtpSink({});
    process.env.SMTP_URL = sink.url;
    await stack.migrate();
    const section = (code: string, over = {}) =>
      stack.putCourse(id(code), { semester_id: TERM, credits: 4, capacity: 10, ...over });
    await Promise.all([
      ...['A1', 'B1', 'C1', 'D1', 'E1', 'K1', 'K2', 'K3', 'V1'].map((c) => section(c)),
      section('FULL1', { capacity: 1, enrolled_count: 1 }),
      section('LAST1', { capacity: 1 }),
      section('BIG1', { credits: 12 }),
      ...Array.from({ length: 20 }, (_, i) => section(`R${i}`)),
      ...Array.from({ length: 4 }, (_, i) => section(`Q${i}`)),
      ...Array.from({ length: 8 }, (_, i) => section(`M${i}`)),
    ]);
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

  it('applies the whole cart in one transaction: rows, seats, schedule, one email of every change', async () => {
    expect((await enroll('cs-ok', id('A1'))).status).toBe(201);
    const before = await schedule('cs-ok');
    expect(before).toMatchObject({ credits: 4, version: 1 });

    const sent = await watched(() =>
      submit('cs-ok', { add: [id('B1'), id('C1')], drop: [id('A1')] }),
    );
    const res = sent.result;
    expect(res.status).toBe(201);
    // Six reads, then the whole cart in one TransactWriteItems (the enqueue may mark its event).
    expect(reads(sent)).toEqual(SNAPSHOT_READS);
    expect(sent.writes.filter((n) => n !== 'UpdateItemCommand')).toEqual([
      'TransactWriteItemsCommand',
    ]);
    expect(res.body).toEqual({
      results: [
        { course_id: id('B1'), action: 'add', status: 'enrolled' },
        { course_id: id('C1'), action: 'add', status: 'enrolled' },
        { course_id: id('A1'), action: 'drop', status: 'dropped' },
      ],
    });
    expect(await row('cs-ok', id('A1'))).toBeUndefined();
    expect(await row('cs-ok', id('B1'))).toMatchObject({ status: 'enrolled', semester_id: TERM });
    expect(await row('cs-ok', id('C1'))).toMatchObject({ status: 'enrolled' });
    expect(await Promise.all(['A1', 'B1', 'C1'].map((c) => stack.enrolledCount(id(c))))).toEqual([
      0, 1, 1,
    ]);
    expect(await schedule('cs-ok')).toMatchObject({ credits: 8, version: 2 });

    await eventually(() => cartMailsTo('cs-ok').length > 0, 20_000);
    const [mail] = cartMailsTo('cs-ok');
    expect(mail.subject).toBe(`Registration updated: 3 changes (${TERM})`);
    expect(mail.text).toContain(`Enrolled in B1 Course ${id('B1')} (${TERM})`);
    expect(mail.text).toContain(`Enrolled in C1 Course ${id('C1')} (${TERM})`);
    expect(mail.text).toContain(`Dropped A1 Course ${id('A1')} (${TERM})`);
    // Sent once: the event's SENT marker is down, so no redelivery sends it again.
    await eventually(
      async () => (await outboxEvent(eventOf(mail.messageId)))?.sent_at !== undefined,
    );
    expect((await outboxEvent(eventOf(mail.messageId)))?.changes).toHaveLength(3);
    expect(cartMailsTo('cs-ok')).toHaveLength(1);
  });

  it('a drop after the drop deadline is a withdrawal (a W, the seat freed)', async () => {
    expect((await enroll('cs-w', id('D1'))).status).toBe(201);
    now.mockReturnValue(BETWEEN);
    try {
      const res = await submit('cs-w', { drop: [id('D1')] });
      expect(res.status).toBe(201);
      expect(res.body.results).toEqual([
        { course_id: id('D1'), action: 'drop', status: 'withdrawn' },
      ]);
      expect(await row('cs-w', id('D1'))).toMatchObject({ status: 'withdrawn' });
      expect(await stack.enrolledCount(id('D1'))).toBe(0);
      expect(await schedule('cs-w')).toMatchObject({ credits: 0 });
    } finally {
      now.mockReturnValue(BEFORE_DROP);
    }
  });

  it('a refused cart changes nothing and sends no email: 422, the first code, every violation (its refused adds in history)', async () => {
    expect((await enroll('cs-rej', id('A1'))).status).toBe(201);
    const counts = () =>
      Promise.all(['A1', 'BIG1', 'FULL1', 'E1'].map((c) => stack.enrolledCount(id(c))));
    const [countsBefore, scheduleBefore] = [await counts(), await schedule('cs-rej')];

    const sent = await watched(() =>
      submit('cs-rej', { add: [id('FULL1'), id('BIG1'), id('E1')], drop: [] }),
    );
    const res = sent.result;
    expect(res.status).toBe(422);
    // The snapshot's reads and no transaction (an UpdateItem may be the enroll's event being marked);
    // the one write is the best-effort history entry of each refused add.
    expect(reads(sent)).toEqual(SNAPSHOT_READS);
    expect(sent.writesTo.filter((n) => !n.startsWith('UpdateItemCommand'))).toEqual(
      Array(3).fill(`PutItemCommand ${stack.tables.history}`),
    );
    expect(res.body.code).toBe('CREDIT_LIMIT');
    // The credit limit is every add's (4 held + 20 > 12); the seat comes last, as validate orders.
    expect(
      res.body.violations.map((v: { code: string; course_id: string }) => [v.code, v.course_id]),
    ).toEqual([
      ['CREDIT_LIMIT', id('FULL1')],
      ['CREDIT_LIMIT', id('BIG1')],
      ['CREDIT_LIMIT', id('E1')],
      ['COURSE_FULL', id('FULL1')],
    ]);
    expect(res.body.violations[3]).toMatchObject({
      course_id: id('FULL1'),
      waitlist_available: false,
    });

    expect(await counts()).toEqual(countsBefore);
    expect(await schedule('cs-rej')).toEqual(scheduleBefore);
    expect(await row('cs-rej', id('A1'))).toMatchObject({ status: 'enrolled' });
    for (const c of ['FULL1', 'BIG1', 'E1']) expect(await row('cs-rej', id(c))).toBeUndefined();

    // A later accepted cart's email arrives; the refused one never had an event, so no email.
    expect((await submit('cs-rej', { add: [id('E1')] })).status).toBe(201);
    await eventually(() => cartMailsTo('cs-rej').length > 0, 20_000);
    const [mail] = cartMailsTo('cs-rej');
    await eventually(
      async () => (await outboxEvent(eventOf(mail.messageId)))?.sent_at !== undefined,
    );
    expect(cartMailsTo('cs-rej').map((m) => m.subject)).toEqual([
      `Registration updated: 1 change (${TERM})`,
    ]);
  });

  it('a lone COURSE_FULL stays 409 with waitlist_available; the swap keeps the old section', async () => {
    expect((await enroll('cs-swap', id('A1'))).status).toBe(201);
    const res = await submit('cs-swap', { add: [id('FULL1')], drop: [id('A1')] });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'COURSE_FULL',
      waitlist_available: false,
      violations: [expect.objectContaining({ code: 'COURSE_FULL', course_id: id('FULL1') })],
    });
    expect(await row('cs-swap', id('A1'))).toMatchObject({ status: 'enrolled' });
  });

  it('a swap whose new section fills between the check and the write: cancelled, the old one kept', async () => {
    expect((await enroll('cs-race', id('K1'))).status).toBe(201);
    const aBefore = await stack.enrolledCount(id('K1'));
    // Another student takes LAST1's only seat right after this submit's snapshot was read.
    const loader = enrollments.get(EligibilityLoader);
    const load = loader.loadCart.bind(loader);
    const spy = jest.spyOn(loader, 'loadCart').mockImplementationOnce(async (...args) => {
      const snapshot = await load(...args);
      expect((await enroll('cs-other', id('LAST1'))).status).toBe(201);
      return snapshot;
    });
    try {
      const res = await submit('cs-race', { add: [id('LAST1')], drop: [id('K1')] });
      expect({ status: res.status, code: res.body.code }).toEqual({
        status: 409,
        code: 'COURSE_FULL',
      });
      expect(res.body.violations).toEqual([
        expect.objectContaining({ code: 'COURSE_FULL', course_id: id('LAST1') }),
      ]);
    } finally {
      spy.mockRestore();
    }
    expect(await row('cs-race', id('K1'))).toMatchObject({ status: 'enrolled' });
    expect(await row('cs-race', id('LAST1'))).toBeUndefined();
    expect(await stack.enrolledCount(id('K1'))).toBe(aBefore);
    expect(await stack.enrolledCount(id('LAST1'))).toBe(1);
  });

  it('re-validates when the schedule changed under it, and gives up after four tries: 409 CONCURRENT_UPDATE', async () => {
    // Each time the submit has read its snapshot, a one-course enroll of the same student commits
    // first (it bumps the schedule version), so every try's transaction finds a newer version.
    await stack.putUser('cs-conc', { max_credits: 30 }); // room for the racing enrolls and V1
    const loader = enrollments.get(EligibilityLoader);
    const load = loader.loadCart.bind(loader);
    let tries = 0;
    const spy = jest.spyOn(loader, 'loadCart').mockImplementation(async (...args) => {
      const snapshot = await load(...args);
      expect((await enroll('cs-conc', id(`Q${tries++}`))).status).toBe(201);
      return snapshot;
    });
    try {
      const res = await submit('cs-conc', { add: [id('V1')] });
      expect({ status: res.status, code: res.body.code }).toEqual({
        status: 409,
        code: 'CONCURRENT_UPDATE',
      });
      expect(res.headers['retry-after']).toBe('1');
    } finally {
      spy.mockRestore();
    }
    expect(tries).toBe(4);
    expect(await row('cs-conc', id('V1'))).toBeUndefined();
    expect(await schedule('cs-conc')).toMatchObject({ credits: 16, version: 4 });
    // Once nothing races it, the same cart goes through on its first try.
    expect((await submit('cs-conc', { add: [id('V1')] })).status).toBe(201);
  });

  it('replays the first answer for a repeated Idempotency-Key; another cart under it is 422', async () => {
    const cart = { add: [id('K2')], waitlist: false };
    const first = await submit('cs-idem', cart, 'cart-key-0001');
    expect(first.status).toBe(201);
    const again = await submit('cs-idem', cart, 'cart-key-0001');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await stack.enrolledCount(id('K2'))).toBe(1);
    const other = await submit('cs-idem', { add: [id('V1')] }, 'cart-key-0001');
    expect({ status: other.status, code: other.body.code }).toEqual({
      status: 422,
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    expect(await row('cs-idem', id('V1'))).toBeUndefined();
    // Without the key the same cart is a second request: the section is held already.
    const noKey = await submit('cs-idem', { add: [id('K2')] });
    expect({ status: noKey.status, code: noKey.body.code }).toEqual({
      status: 409,
      code: 'ALREADY_ENROLLED',
    });
  });

  it('replays the first answer to a retry that read the key just before that first submit committed', async () => {
    const cart = { add: [id('K3')] };
    const first = await submit('cs-lost', cart, 'cart-key-lost');
    expect(first.status).toBe(201);
    // The retry's first read of the key finds nothing, as when it ran just before the first
    // submit's commit (whose answer the client lost); its snapshot then holds that submit's row.
    const client = enrollments.get<DynamoDBClient>(DYNAMODB_CLIENT);
    let hidden = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = (args as { input: { TableName?: string } }).input;
        if (
          hidden === 0 &&
          context.commandName === 'GetItemCommand' &&
          input.TableName === stack.tables.idempotency
        ) {
          hidden += 1;
          return { output: { $metadata: {} }, response: {} } as never;
        }
        return next(args);
      },
      { step: 'initialize', name: 'hideIdempotencyRecordOnce', override: true },
    );
    try {
      const retry = await submit('cs-lost', cart, 'cart-key-lost');
      expect(hidden).toBe(1);
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body).toEqual(first.body);
    } finally {
      client.middlewareStack.remove('hideIdempotencyRecordOnce');
    }
    expect(await stack.enrolledCount(id('K3'))).toBe(1);
  });

  it.each([
    [{ add: Array.from({ length: 11 }, (_, i) => id(`X${i}`)) }, 'CART_TOO_LARGE'],
    [{ drop: Array.from({ length: 11 }, (_, i) => id(`X${i}`)) }, 'CART_TOO_LARGE'],
    [{ add: [id('A1')], drop: [id('A1')] }, 'CART_ADD_AND_DROP'],
    [{ add: [id('A1')], waitlist: 'yes' }, 'VALIDATION_FAILED'],
    [{}, 'VALIDATION_FAILED'],
  ])('refuses %j with 400 %s', async (body, code) => {
    const res = await submit('cs-bad', body);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code });
  });

  describe('validate and submit on one cart', () => {
    beforeAll(async () => {
      expect((await enroll('cs-same', id('A1'))).status).toBe(201);
    });

    it.each([
      ['a full section and the credit limit', { add: [id('FULL1'), id('BIG1'), id('E1')] }],
      [
        'an unknown course, a held add, a drop not held',
        {
          add: ['NOPE-2033-FALL', id('A1')],
          drop: [id('V1')],
        },
      ],
      ['a lone full section', { add: [id('FULL1')] }],
    ])('validate and submit give the same violations: %s', async (_, cart) => {
      const checked = await validate('cs-same', cart);
      expect(checked.status).toBe(200);
      const expected = cartRejection(checked.body.results as CartLine[]);
      expect(expected.length).toBeGreaterThan(0);
      const res = await submit('cs-same', cart);
      expect(res.body.violations).toEqual(expected);
      expect(res.body.code).toBe(expected[0].code);
      // The first violation's status: 422 for a rule, 409 COURSE_FULL alone, 404 an unknown course.
      expect(res.status).toBe(ERROR_STATUS[expected[0].code as ErrorCode]);
    });
  });

  it('20 concurrent submits of one student, each within the limit alone, end within it', async () => {
    const sub = 'cs-rush';
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => submit(sub, { add: [id(`R${i}`)] })),
    );
    const outcomes = responses.map((r) => (r.status === 201 ? 201 : `${r.status} ${r.body.code}`));
    const accepted = outcomes.filter((o) => o === 201).length;
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThanOrEqual(3); // 12 credits, 4 each
    for (const o of outcomes)
      expect([201, '409 CONCURRENT_UPDATE', '422 CREDIT_LIMIT']).toContain(o);

    const held = [];
    for (let i = 0; i < 20; i++) if (await row(sub, id(`R${i}`))) held.push(i);
    expect(held).toHaveLength(accepted);
    const seats = await Promise.all(held.map((i) => stack.enrolledCount(id(`R${i}`))));
    expect(seats.every((n) => n === 1)).toBe(true);
    const item = await schedule(sub);
    expect(item).toMatchObject({ credits: 4 * accepted, version: accepted });
    expect(item!.credits).toBeLessThanOrEqual(CALENDAR.max_credits);
  });

  it('concurrent one-course enrolls and a cart of one student end within the credit limit', async () => {
    // Each enroll conditions on the schedule version its snapshot read (as a cart does), so an
    // enroll committing after a cart on an older snapshot re-validates instead of passing the limit.
    const sub = 'cs-mixed';
    const responses = await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => enroll(sub, id(`M${i}`))),
      submit(sub, { add: [id('M6'), id('M7')] }),
    ]);
    const outcomes = responses.map((r) => (r.status === 201 ? 201 : `${r.status} ${r.body.code}`));
    for (const o of outcomes)
      expect([201, '409 CONCURRENT_UPDATE', '422 CREDIT_LIMIT']).toContain(o);
    const held = [];
    for (let i = 0; i < 8; i++) if (await row(sub, id(`M${i}`))) held.push(i);
    expect(held.length).toBeGreaterThan(0);
    expect(held.length * 4).toBeLessThanOrEqual(CALENDAR.max_credits);
    const seats = await Promise.all(held.map((i) => stack.enrolledCount(id(`M${i}`))));
    expect(seats.every((n) => n === 1)).toBe(true);
    expect((await schedule(sub))!.credits).toBe(4 * held.length);
  });
});
