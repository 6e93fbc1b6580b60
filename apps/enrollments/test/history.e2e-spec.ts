// Registration history (DESIGN §8) through the enrollments app, DynamoDB Local and Redis: every
// enroll, drop and withdrawal writes its entry in its own transaction, with the caller as actor; a
// refused add is recorded best effort with its violations (and a failed record changes no answer);
// the three history routes page newest first and admit only whom they should.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { Clock } from '@app/common';
import { DYNAMODB_CLIENT, TermsRepository } from '@app/data';
import {
  authAs,
  eventually,
  fallTerm,
  injectDynamoDbFaults,
  startApp,
  studentAuth,
  testStack,
} from '@app/testing';
import { EnrollmentsModule } from '../src/enrollments.module';

const stack = testStack('history', { LOG_LEVEL: 'error' });
const TERM = '2033-FALL';
const CALENDAR = fallTerm(TERM);
const BEFORE_DROP = new Date('2033-09-05T12:00:00Z');
const BETWEEN = new Date('2033-10-01T12:00:00Z');
const INSTRUCTOR = 'hist-instructor';
const H1 = `H1-${TERM}`;
const H2 = `H2-${TERM}`;
const H3 = `H3-${TERM}`;
const FULL = `HFULL-${TERM}`;
const API_FIELDS = [
  'event_id',
  'type',
  'actor',
  'at',
  'reason',
  'user_id',
  'course_id',
  'semester_id',
  'violations',
];

type Entry = Record<string, unknown> & { event_id: string; type: string; course_id: string };

describe('registration history', () => {
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;
  let now: jest.SpyInstance<Date, []>;
  let admin: { Authorization: string };
  const enroll = async (sub: string, courseId: string) =>
    http
      .post('/api/enrollments')
      .set(await studentAuth(sub))
      .send({ course_id: courseId });
  const remove = async (sub: string, courseId: string) =>
    http.delete(`/api/enrollments/${courseId}`).set(await studentAuth(sub));
  /** Every entry of a history route, following next_cursor page by page. */
  const allPages = async (path: string, auth: { Authorization: string }, limit: number) => {
    const items: Entry[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: { items: Entry[]; next_cursor: string | null } } = await http
        .get(path)
        .query({ limit, ...(cursor ? { cursor } : {}) })
        .set(auth)
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...res.body.items);
      cursor = res.body.next_cursor;
      pages += 1;
    } while (cursor);
    return { items, pages };
  };
  const mine = async (sub: string) =>
    (
      await http
        .get('/api/enrollments/me/history')
        .set(await studentAuth(sub))
        .expect(200)
    ).body.items as Entry[];

  beforeAll(async () => {
    await stack.migrate();
    await Promise.all(
      [H1, H2, H3].map((id) =>
        stack.putCourse(id, { semester_id: TERM, credits: 3, instructor_id: INSTRUCTOR }),
      ),
    );
    await stack.putCourse(FULL, {
      semester_id: TERM,
      instructor_id: INSTRUCTOR,
      capacity: 1,
      enrolled_count: 1,
    });
    app = await startApp(EnrollmentsModule);
    http = request(app.getHttpServer());
    admin = await authAs('hist-admin', 'admin');
    await app.get(TermsRepository).put(CALENDAR);
    now = jest.spyOn(app.get(Clock), 'now').mockReturnValue(BEFORE_DROP);
  });

  afterAll(async () => {
    await app?.close();
    await stack.drop();
  });

  it('enroll, drop and withdrawal each write an entry with the caller as actor, newest first, by pages', async () => {
    now.mockReturnValue(BEFORE_DROP);
    expect((await enroll('hs-1', H1)).status).toBe(201);
    expect((await enroll('hs-1', H2)).status).toBe(201);
    expect((await remove('hs-1', H1)).status).toBe(204);
    now.mockReturnValue(BETWEEN);
    expect((await remove('hs-1', H2)).status).toBe(200);

    // Read your writes: the student's history is a consistent Query, no waiting.
    const items = await mine('hs-1');
    expect(items.map((e) => [e.type, e.course_id])).toEqual([
      ['withdrawn', H2],
      ['dropped', H1],
      ['enrolled', H2],
      ['enrolled', H1],
    ]);
    for (const e of items) {
      expect(e).toMatchObject({ actor: 'hs-1', user_id: 'hs-1', semester_id: TERM });
      expect(e.event_id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(Object.keys(e).every((k) => API_FIELDS.includes(k))).toBe(true);
      expect(Date.parse(e.at as string)).not.toBeNaN();
    }
    expect(items[0].at).toBe(BETWEEN.toISOString()); // the withdrawal's time is the registration clock's

    // Pages of one and of three walk the same list, each cursor to the next page, the last null.
    const byOne = await allPages('/api/enrollments/me/history', await studentAuth('hs-1'), 1);
    expect(byOne.items).toEqual(items);
    expect(byOne.pages).toBeGreaterThanOrEqual(4);
    const byThree = await allPages('/api/enrollments/me/history', await studentAuth('hs-1'), 3);
    expect(byThree.items).toEqual(items);

    // An admin reads the same history by user id.
    expect((await allPages('/api/users/hs-1/history', admin, 2)).items).toEqual(items);

    // The course view (HistoryByCourse, eventually consistent) interleaves its students, newest first.
    now.mockReturnValue(BEFORE_DROP);
    expect((await enroll('hs-2', H1)).status).toBe(201);
    const instructor = await authAs(INSTRUCTOR, 'instructor');
    await eventually(
      async () =>
        (await http.get(`/api/courses/${H1}/history`).set(instructor)).body.items?.length === 3,
    );
    const course = await allPages(`/api/courses/${H1}/history`, instructor, 2);
    expect(course.items.map((e) => [e.type, e.user_id, e.actor])).toEqual([
      ['enrolled', 'hs-2', 'hs-2'],
      ['dropped', 'hs-1', 'hs-1'],
      ['enrolled', 'hs-1', 'hs-1'],
    ]);
    expect(course.pages).toBe(2);
  });

  it('a cart submit writes one entry per line in its transaction, by the caller', async () => {
    now.mockReturnValue(BEFORE_DROP);
    expect((await enroll('hs-cart', H1)).status).toBe(201);
    const submit = await http
      .post('/api/registrations')
      .set(await studentAuth('hs-cart'))
      .send({ add: [H2], drop: [H1] });
    expect(submit.status).toBe(201);
    const items = await mine('hs-cart');
    expect(items.map((e) => [e.type, e.course_id])).toEqual([
      ['dropped', H1],
      ['enrolled', H2],
      ['enrolled', H1],
    ]);
    for (const e of items.slice(0, 2)) {
      expect(e).toMatchObject({
        actor: 'hs-cart',
        at: BEFORE_DROP.toISOString(),
        semester_id: TERM,
      });
    }
  });

  it('records a refused add as add_rejected with its violations: a hold (422), a full section (409)', async () => {
    now.mockReturnValue(BEFORE_DROP);
    await http.patch('/api/users/hs-hold').set(admin).send({ max_credits: 12 }).expect(200);
    const hold = await http
      .post('/api/users/hs-hold/holds')
      .set(admin)
      .send({ code: 'BURSAR', reason: 'unpaid tuition' })
      .expect(201);
    const refused = await enroll('hs-hold', H3);
    expect({ status: refused.status, code: refused.body.code }).toEqual({
      status: 422,
      code: 'HOLD',
    });
    const [rejected] = await mine('hs-hold');
    expect(rejected).toEqual({
      event_id: expect.any(String),
      type: 'add_rejected',
      actor: 'hs-hold',
      at: BEFORE_DROP.toISOString(),
      reason: 'HOLD',
      user_id: 'hs-hold',
      course_id: H3,
      semester_id: TERM,
      violations: refused.body.violations,
    });
    expect(rejected.violations).toEqual([
      expect.objectContaining({
        code: 'HOLD',
        course_id: H3,
        holds: [{ hold_id: hold.body.hold_id, code: 'BURSAR', reason: 'unpaid tuition' }],
      }),
    ]);

    const refusedFull = await enroll('hs-full', FULL);
    expect({ status: refusedFull.status, code: refusedFull.body.code }).toEqual({
      status: 409,
      code: 'COURSE_FULL',
    });
    expect(await mine('hs-full')).toEqual([
      expect.objectContaining({
        type: 'add_rejected',
        reason: 'COURSE_FULL',
        course_id: FULL,
        violations: [expect.objectContaining({ code: 'COURSE_FULL', course_id: FULL })],
      }),
    ]);

    // Lifting the hold lets the add through: an `enrolled` entry above the rejection.
    await http.delete(`/api/users/hs-hold/holds/${hold.body.hold_id}`).set(admin).expect(204);
    expect((await enroll('hs-hold', H3)).status).toBe(201);
    expect((await mine('hs-hold')).map((e) => e.type)).toEqual(['enrolled', 'add_rejected']);

    // The course view lists changes only: refusals stay in the student's history (the index is
    // sparse, so a rush of refusals on a full section is no hot index partition).
    const instructor = await authAs(INSTRUCTOR, 'instructor');
    await eventually(
      async () =>
        (await http.get(`/api/courses/${H3}/history`).set(instructor)).body.items?.length > 0,
    );
    const h3 = await http.get(`/api/courses/${H3}/history`).set(instructor).expect(200);
    expect(h3.body.items.map((e: Entry) => [e.type, e.user_id])).toEqual([['enrolled', 'hs-hold']]);
    const full = await http.get(`/api/courses/${FULL}/history`).set(instructor).expect(200);
    expect(full.body.items).toEqual([]);
  });

  it('records each refused add of a refused cart, with its own violations, and nothing for the fine ones', async () => {
    now.mockReturnValue(BEFORE_DROP);
    const res = await http
      .post('/api/registrations')
      .set(await studentAuth('hs-cart-refused'))
      .send({ add: [H1, FULL] });
    expect({ status: res.status, code: res.body.code }).toEqual({
      status: 409,
      code: 'COURSE_FULL',
    });
    expect(await mine('hs-cart-refused')).toEqual([
      expect.objectContaining({
        type: 'add_rejected',
        actor: 'hs-cart-refused',
        reason: 'COURSE_FULL',
        course_id: FULL,
        violations: [expect.objectContaining({ code: 'COURSE_FULL', course_id: FULL })],
      }),
    ]);
  });

  it('a history record that fails changes no answer: same 422, nothing recorded, counted', async () => {
    now.mockReturnValue(BEFORE_DROP);
    await http.patch('/api/users/hs-fail').set(admin).send({ max_credits: 12 }).expect(200);
    await http
      .post('/api/users/hs-fail/holds')
      .set(admin)
      .send({ code: 'DEAN', reason: 'academic probation' })
      .expect(201);
    const expected = await enroll('hs-fail', H3);
    expect(expected.status).toBe(422);
    expect(await mine('hs-fail')).toHaveLength(1);

    const failedMetric = async () => {
      const text = (await http.get('/metrics')).text;
      const line = text
        .split('\n')
        .find((l) => /^history_best_effort_writes_total\{.*result="failed"/.test(l));
      return line ? Number(line.split(' ').at(-1)) : 0;
    };
    const before = await failedMetric();
    const faults = injectDynamoDbFaults(app.get<DynamoDBClient>(DYNAMODB_CLIENT), {
      command: 'PutItemCommand',
      fault: 'ThrottlingException',
      matches: (input) => input.TableName === stack.tables.history,
    });
    try {
      const res = await enroll('hs-fail', H3);
      expect(faults.count).toBeGreaterThanOrEqual(1);
      expect({ status: res.status, body: res.body }).toEqual({
        status: expected.status,
        body: expected.body,
      });
    } finally {
      faults.remove();
    }
    expect(await mine('hs-fail')).toHaveLength(1);
    expect(await failedMetric()).toBe(before + 1);
  });

  it('admits the student to their own history, the instructor or an admin to a course, admins to a user', async () => {
    const student = await studentAuth('hs-1');
    const instructor = await authAs(INSTRUCTOR, 'instructor');
    const other = await authAs('hist-other-instructor', 'instructor');
    const status = async (path: string, auth?: { Authorization: string }) => {
      const res = auth ? await http.get(path).set(auth) : await http.get(path);
      return { status: res.status, code: res.body.code as string | undefined };
    };
    const ok = { status: 200, code: undefined };
    const role = { status: 403, code: 'FORBIDDEN_ROLE' };

    expect(await status('/api/enrollments/me/history')).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
    expect(await status('/api/enrollments/me/history', student)).toEqual(ok);
    expect(await status('/api/enrollments/me/history', instructor)).toEqual(role);
    expect(await status('/api/enrollments/me/history', admin)).toEqual(role);

    expect(await status(`/api/courses/${H1}/history`, student)).toEqual(role);
    expect(await status(`/api/courses/${H1}/history`, other)).toEqual({
      status: 403,
      code: 'NOT_COURSE_INSTRUCTOR',
    });
    expect(await status(`/api/courses/${H1}/history`, instructor)).toEqual(ok);
    expect(await status(`/api/courses/${H1}/history`, admin)).toEqual(ok);
    expect(await status(`/api/courses/NOPE-${TERM}/history`, instructor)).toEqual({
      status: 404,
      code: 'COURSE_NOT_FOUND',
    });

    expect(await status('/api/users/hs-1/history', student)).toEqual(role); // not even their own
    expect(await status('/api/users/hs-1/history', instructor)).toEqual(role);
    expect(await status('/api/users/hs-1/history', admin)).toEqual(ok);

    // A cursor is bound to its student: one of hs-1's pages is refused for hs-2.
    const page = await http.get('/api/users/hs-1/history?limit=1').set(admin).expect(200);
    const res = await http
      .get('/api/users/hs-2/history')
      .query({ limit: 1, cursor: page.body.next_cursor })
      .set(admin);
    expect({ status: res.status, code: res.body.code }).toEqual({
      status: 400,
      code: 'INVALID_CURSOR',
    });
  });
});
