// Terms (DESIGN §8): registration calendars stored by admins, read by anyone, cached by term.
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { startApp, testStack, tokenFor } from '@app/testing';
import { CoursesModule } from '../src/courses.module';

const stack = testStack('terms');

const CALENDAR = {
  name: 'Fall 2026',
  registration_opens_at: '2026-08-01T09:00:00Z',
  priority_windows: [{ group: 'senior', opens_at: '2026-07-28T09:00:00Z' }],
  add_deadline: '2026-09-10T23:59:59Z',
  drop_deadline: '2026-09-20T23:59:59Z',
  withdraw_deadline: '2026-11-01T23:59:59Z',
};

describe('terms (courses app through DynamoDB Local and Redis)', () => {
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;
  let admin: Record<string, string>;
  let student: Record<string, string>;
  const put = (id: string, body: unknown, who = admin) =>
    http
      .put(`/api/terms/${id}`)
      .set(who)
      .send(body as object);

  beforeAll(async () => {
    await stack.migrate();
    app = await startApp(CoursesModule);
    http = request(app.getHttpServer());
    admin = { Authorization: `Bearer ${await tokenFor({ sub: 'a1', role: 'admin' })}` };
    student = { Authorization: `Bearer ${await tokenFor({ sub: 'u1', role: 'student' })}` };
  });

  afterAll(async () => {
    await app?.close();
    await stack.drop();
  });

  it('creates a term with its defaults (201), replaces it (200), and serves the new one at once', async () => {
    const created = await put('2026-FALL', CALENDAR);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      term_id: '2026-FALL',
      ...CALENDAR,
      max_credits: 18,
      waitlist_mode: 'auto',
      offer_hold_minutes: 1440,
      updated_at: expect.any(String),
    });
    expect((await http.get('/api/terms/2026-FALL')).headers['x-cache']).toBe('MISS');
    const hit = await http.get('/api/terms/2026-FALL');
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.body.name).toBe('Fall 2026');
    await http.get('/api/terms').expect(200); // cache the list too

    const replaced = await put('2026-FALL', {
      ...CALENDAR,
      name: 'Autumn 2026',
      max_credits: 20,
      waitlist_mode: 'offer',
      offer_hold_minutes: 60,
    });
    expect(replaced.status).toBe(200);
    const after = await http.get('/api/terms/2026-FALL');
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.body).toMatchObject({
      name: 'Autumn 2026',
      max_credits: 20,
      waitlist_mode: 'offer',
    });
    const list = await http.get('/api/terms');
    expect(list.headers['x-cache']).toBe('MISS');
    expect(list.body.items.map((t: { name: string }) => t.name)).toEqual(['Autumn 2026']);
  });

  it('lists terms in term order', async () => {
    await put('2027-SPRING', { ...CALENDAR, name: 'Spring 2027' }).expect(201);
    const list = await http.get('/api/terms').expect(200);
    expect(list.body.items.map((t: { term_id: string }) => t.term_id)).toEqual([
      '2026-FALL',
      '2027-SPRING',
    ]);
  });

  it('answers an unknown term with 404 TERM_NOT_FOUND', async () => {
    const res = await http.get('/api/terms/1999-FALL');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'TERM_NOT_FOUND', term_id: '1999-FALL' });
  });

  it.each([
    [
      'dates out of order',
      { add_deadline: '2026-07-01T00:00:00Z' },
      /registration_opens_at must not be after add_deadline/,
    ],
    [
      'a window after the add deadline',
      { priority_windows: [{ group: 'senior', opens_at: '2026-10-01T00:00:00Z' }] },
      /priority_windows\.0\.opens_at/,
    ],
    ['a date that is not ISO-8601', { drop_deadline: 'next week' }, /drop_deadline/],
    [
      'a date without a time zone separator',
      { drop_deadline: '2026-09-20 23:59:59' },
      /drop_deadline/,
    ],
    [
      'a date in the basic ISO form',
      { registration_opens_at: '20260920' },
      /registration_opens_at/,
    ],
    ['a date without a zone', { add_deadline: '2026-09-10T23:59:59' }, /add_deadline/],
    ['an offer hold out of range', { offer_hold_minutes: 0 }, /offer_hold_minutes/],
    ['an unknown waitlist mode', { waitlist_mode: 'lottery' }, /waitlist_mode/],
    ['an unknown field', { semester: 'x' }, /semester/],
    ['a missing deadline', { withdraw_deadline: undefined }, /withdraw_deadline/],
    ['null for an optional field', { max_credits: null }, /max_credits/],
  ])(
    'refuses %s with 400 VALIDATION_FAILED naming the field, storing nothing',
    async (_, change, message) => {
      const res = await put('2028-FALL', { ...CALENDAR, ...change });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.message).toMatch(message);
      expect((await http.get('/api/terms/2028-FALL')).status).toBe(404);
    },
  );

  it('lets only admins store a term', async () => {
    expect((await put('2029-FALL', CALENDAR, {})).status).toBe(401);
    const res = await put('2029-FALL', CALENDAR, student);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN_ROLE');
  });
});
