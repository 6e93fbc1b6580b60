// Permits (DESIGN §8) through the enrollments app, DynamoDB Local and Redis: each waivable rule
// refuses without its permit and admits with it; an expired permit waives nothing; only an admin or
// the section's instructor issues one. The clock is the app's injectable one.
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { Clock } from '@app/common';
import { PermitsRepository, TermsRepository } from '@app/data';
import { authAs, fallTerm, startApp, testStack, tokenFor } from '@app/testing';
import { EnrollmentsModule } from '../src/enrollments.module';

const stack = testStack('permits');
const TERM = '2032-FALL';
const NOW = new Date('2032-08-15T12:00:00Z');
const CALENDAR = fallTerm(TERM, { max_credits: 8 });
const MWF_9 = [
  { days: ['MO' as const, 'WE' as const, 'FR' as const], start: '09:00', end: '09:50' },
];

describe('permits', () => {
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;
  let admin: Record<string, string>;
  const enroll = async (sub: string, courseId: string) =>
    http
      .post('/api/enrollments')
      .set(await authAs(sub))
      .send({ course_id: courseId });
  const issue = (user_id: string, course_id: string, type: string, extra = {}) =>
    http
      .post('/api/permits')
      .set(admin)
      .send({ user_id, course_id, type, ...extra });
  const refused = async (sub: string, courseId: string, code: string) => {
    const res = await enroll(sub, courseId);
    expect(res.body.code).toBe(code);
  };

  beforeAll(async () => {
    await stack.migrate();
    const section = (id: string, over = {}) =>
      stack.putCourse(id, { semester_id: TERM, credits: 4, ...over });
    await Promise.all([
      section('CS101-2032-FALL', { meetings: MWF_9 }),
      section('CS201-2032-FALL', { prerequisites: ['CS100'] }),
      section('MATH101-2032-FALL', { meetings: [{ days: ['WE'], start: '09:30', end: '10:20' }] }),
      section('ART101-2032-FALL'),
      section('HIST101-2032-FALL'),
      section('FULL101-2032-FALL', { capacity: 1, enrolled_count: 1 }),
    ]);
    for (const u of ['pm-full', 'pm-pre', 'pm-time', 'pm-credits', 'pm-window', 'pm-exp'])
      await stack.putUser(u);
    app = await startApp(EnrollmentsModule);
    http = request(app.getHttpServer());
    admin = { Authorization: `Bearer ${await tokenFor({ sub: 'a1', role: 'admin' })}` };
    await app.get(TermsRepository).put(CALENDAR);
    jest.spyOn(app.get(Clock), 'now').mockReturnValue(NOW);
  });

  afterAll(async () => {
    await app?.close();
    await stack.drop();
  });

  it('CAPACITY lets a student into a full section', async () => {
    await refused('pm-full', 'FULL101-2032-FALL', 'COURSE_FULL');
    const res = await issue('pm-full', 'FULL101-2032-FALL', 'CAPACITY');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      permit_id: 'pm-full~FULL101-2032-FALL~CAPACITY',
      user_id: 'pm-full',
      course_id: 'FULL101-2032-FALL',
      type: 'CAPACITY',
      issued_by: 'a1',
    });
    expect((await enroll('pm-full', 'FULL101-2032-FALL')).status).toBe(201);
  });

  it('PREREQUISITE waives a missing prerequisite', async () => {
    await refused('pm-pre', 'CS201-2032-FALL', 'PREREQUISITE_MISSING');
    // A permit of another type waives nothing.
    await issue('pm-pre', 'CS201-2032-FALL', 'CAPACITY').expect(201);
    await refused('pm-pre', 'CS201-2032-FALL', 'PREREQUISITE_MISSING');
    await issue('pm-pre', 'CS201-2032-FALL', 'PREREQUISITE').expect(201);
    expect((await enroll('pm-pre', 'CS201-2032-FALL')).status).toBe(201);
  });

  it('TIME_CONFLICT waives an overlap', async () => {
    expect((await enroll('pm-time', 'CS101-2032-FALL')).status).toBe(201);
    await refused('pm-time', 'MATH101-2032-FALL', 'TIME_CONFLICT');
    await issue('pm-time', 'MATH101-2032-FALL', 'TIME_CONFLICT').expect(201);
    expect((await enroll('pm-time', 'MATH101-2032-FALL')).status).toBe(201);
  });

  it('CREDIT_LIMIT waives the limit', async () => {
    expect((await enroll('pm-credits', 'ART101-2032-FALL')).status).toBe(201);
    expect((await enroll('pm-credits', 'CS101-2032-FALL')).status).toBe(201);
    await refused('pm-credits', 'HIST101-2032-FALL', 'CREDIT_LIMIT');
    await issue('pm-credits', 'HIST101-2032-FALL', 'CREDIT_LIMIT').expect(201);
    expect((await enroll('pm-credits', 'HIST101-2032-FALL')).status).toBe(201);
  });

  it('WINDOW admits before registration opens; an expired permit waives nothing', async () => {
    const clock = app.get(Clock);
    jest.spyOn(clock, 'now').mockReturnValue(new Date('2032-07-20T00:00:00Z'));
    try {
      await refused('pm-window', 'HIST101-2032-FALL', 'REGISTRATION_NOT_OPEN');
      await issue('pm-exp', 'HIST101-2032-FALL', 'WINDOW', {
        expires_at: '2032-07-19T00:00:00Z',
      }).expect(201);
      await refused('pm-exp', 'HIST101-2032-FALL', 'REGISTRATION_NOT_OPEN');
      // Re-issuing replaces it: now valid for a week.
      await issue('pm-exp', 'HIST101-2032-FALL', 'WINDOW', {
        expires_at: '2032-07-27T00:00:00Z',
      }).expect(201);
      const list = await http.get('/api/users/pm-exp/permits').set(await authAs('pm-exp'));
      expect(list.status).toBe(200);
      expect(list.body.items).toHaveLength(1);
      expect(list.body.items[0].expires_at).toBe('2032-07-27T00:00:00Z');
      expect((await enroll('pm-exp', 'HIST101-2032-FALL')).status).toBe(201);
      await issue('pm-window', 'HIST101-2032-FALL', 'WINDOW').expect(201);
      expect((await enroll('pm-window', 'HIST101-2032-FALL')).status).toBe(201);
    } finally {
      jest.spyOn(clock, 'now').mockReturnValue(NOW);
    }
  });

  it('only an admin or the section instructor issues and revokes; clear 4xx otherwise', async () => {
    const other = await authAs('i-other', 'instructor');
    const own = await authAs('i1', 'instructor'); // putCourse's default instructor
    const body = { user_id: 'pm-pre', course_id: 'ART101-2032-FALL', type: 'CAPACITY' };
    const forbidden = await http.post('/api/permits').set(other).send(body);
    expect({ status: forbidden.status, code: forbidden.body.code }).toEqual({
      status: 403,
      code: 'NOT_COURSE_INSTRUCTOR',
    });
    const mine = await http.post('/api/permits').set(own).send(body);
    expect(mine.status).toBe(201);
    const id = mine.body.permit_id;
    const notOwnerDelete = await http.delete(`/api/permits/${id}`).set(other);
    expect(notOwnerDelete.body.code).toBe('NOT_COURSE_INSTRUCTOR');
    await http.delete(`/api/permits/${id}`).set(own).expect(204);
    const gone = await http.delete(`/api/permits/${id}`).set(admin);
    expect({ status: gone.status, code: gone.body.code }).toEqual({
      status: 404,
      code: 'PERMIT_NOT_FOUND',
    });
    expect(await app.get(PermitsRepository).listForCourse('pm-pre', 'ART101-2032-FALL')).toEqual(
      [],
    );

    const noUser = await issue('nobody', 'ART101-2032-FALL', 'CAPACITY');
    expect({ status: noUser.status, code: noUser.body.code }).toEqual({
      status: 404,
      code: 'USER_NOT_FOUND',
    });
    const noCourse = await issue('pm-pre', 'NOPE-2032-FALL', 'CAPACITY');
    expect({ status: noCourse.status, code: noCourse.body.code }).toEqual({
      status: 404,
      code: 'COURSE_NOT_FOUND',
    });
    const badType = await issue('pm-pre', 'ART101-2032-FALL', 'HOLD');
    expect({ status: badType.status, code: badType.body.code }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect(badType.body.message).toMatch(/type must be one of/);
    const someoneElses = await http.get('/api/users/pm-pre/permits').set(await authAs('pm-exp'));
    expect(someoneElses.body.code).toBe('NOT_SELF');
    const student = await http
      .post('/api/permits')
      .set(await authAs('pm-pre'))
      .send(body);
    expect(student.body.code).toBe('FORBIDDEN_ROLE');
  });
});
