// The registration rules applied to the one-course enroll (DESIGN §8), through the enrollments app,
// DynamoDB Local and Redis: each rule refuses with 422 and its code (COURSE_FULL stays 409), changes
// nothing, and lets the add through once its cause is gone. The clock is the app's injectable one.
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { Clock } from '@app/common';
import { TermsRepository } from '@app/data';
import { fallTerm, startApp, studentAuth, testStack, tokenFor } from '@app/testing';
import { EnrollmentsModule } from '../src/enrollments.module';

const stack = testStack('eligibility');
const TERM = '2031-FALL';
const NOW = new Date('2031-08-15T12:00:00Z');
const CALENDAR = fallTerm(TERM, {
  priority_windows: [{ group: 'senior', opens_at: '2031-07-28T09:00:00Z' }],
  max_credits: 8,
});
const MWF_9 = [
  { days: ['MO' as const, 'WE' as const, 'FR' as const], start: '09:00', end: '09:50' },
];

describe('registration rules on enroll', () => {
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;
  let admin: Record<string, string>;
  const enroll = async (sub: string, courseId: string) =>
    http
      .post('/api/enrollments')
      .set(await studentAuth(sub))
      .send({ course_id: courseId });
  /** A refusal: its status and code, every violation's code, and nothing written. */
  const expectRefused = async (sub: string, courseId: string, status: number, codes: string[]) => {
    const before = await stack.enrolledCount(courseId);
    const res = await enroll(sub, courseId);
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code: codes[0] });
    expect(res.body.violations.map((v: { code: string }) => v.code)).toEqual(codes);
    expect(await stack.enrolledCount(courseId)).toBe(before);
    return res.body;
  };

  beforeAll(async () => {
    await stack.migrate();
    const section = (id: string, over = {}) =>
      stack.putCourse(id, { semester_id: TERM, credits: 4, ...over });
    await section('CS101-2031-FALL', { meetings: MWF_9 });
    await section('CS201-2031-FALL', { prerequisites: ['CS100'] });
    await section('MATH101-2031-FALL', {
      meetings: [{ days: ['WE'], start: '09:30', end: '10:20' }],
    });
    await section('ART101-2031-FALL');
    await section('ART101-2031-FALL-2', { course_code: 'ART101' });
    await section('HIST101-2031-FALL');
    await section('FULL101-2031-FALL', { capacity: 1, enrolled_count: 1, waitlist_capacity: 5 });
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

  it('refuses a student with a hold (422 HOLD), and admits them once it is lifted', async () => {
    await http
      .patch('/api/users/el-hold')
      .set(admin)
      .send({ priority_group: 'junior' })
      .expect(200);
    const hold = await http
      .post('/api/users/el-hold/holds')
      .set(admin)
      .send({ code: 'BURSAR', reason: 'unpaid tuition' });
    expect(hold.status).toBe(201);
    expect(hold.body).toMatchObject({ hold_id: expect.any(String), code: 'BURSAR' });
    const body = await expectRefused('el-hold', 'HIST101-2031-FALL', 422, ['HOLD']);
    expect(body.holds).toEqual([
      { hold_id: hold.body.hold_id, code: 'BURSAR', reason: 'unpaid tuition' },
    ]);
    await http.delete(`/api/users/el-hold/holds/${hold.body.hold_id}`).set(admin).expect(204);
    expect((await enroll('el-hold', 'HIST101-2031-FALL')).status).toBe(201);
  });

  it('refuses a missing prerequisite, and admits once the registrar records it completed', async () => {
    const body = await expectRefused('el-pre', 'CS201-2031-FALL', 422, ['PREREQUISITE_MISSING']);
    expect(body.missing).toEqual(['CS100']);
    const record = await http
      .patch('/api/users/el-pre')
      .set(admin)
      .send({ completed_courses: ['CS100'] });
    expect(record.status).toBe(200);
    expect(record.body).toMatchObject({ user_id: 'el-pre', completed_courses: ['CS100'] });
    expect((await enroll('el-pre', 'CS201-2031-FALL')).status).toBe(201);
  });

  it('refuses a time conflict with an enrolled section, naming it', async () => {
    expect((await enroll('el-time', 'CS101-2031-FALL')).status).toBe(201);
    const body = await expectRefused('el-time', 'MATH101-2031-FALL', 422, ['TIME_CONFLICT']);
    expect(body.conflicts_with).toEqual(['CS101-2031-FALL']);
  });

  it('refuses past the credit limit, and a second section of one course', async () => {
    expect((await enroll('el-credits', 'ART101-2031-FALL')).status).toBe(201);
    await expectRefused('el-credits', 'ART101-2031-FALL-2', 422, ['DUPLICATE_COURSE']);
    expect((await enroll('el-credits', 'HIST101-2031-FALL')).status).toBe(201);
    const body = await expectRefused('el-credits', 'CS201-2031-FALL', 422, [
      'PREREQUISITE_MISSING',
      'CREDIT_LIMIT',
    ]);
    expect(body.violations[1]).toMatchObject({ limit: 8, attempted: 12 });
  });

  it('keeps COURSE_FULL a 409, with the waitlist it offers', async () => {
    const body = await expectRefused('el-full', 'FULL101-2031-FALL', 409, ['COURSE_FULL']);
    expect(body).toMatchObject({ waitlist_available: true, waitlist_count: 0 });
  });

  it("opens at the student's window by the app's clock", async () => {
    const clock = app.get(Clock);
    jest.spyOn(clock, 'now').mockReturnValue(new Date('2031-07-30T00:00:00Z'));
    try {
      const body = await expectRefused('el-window', 'HIST101-2031-FALL', 422, [
        'REGISTRATION_NOT_OPEN',
      ]);
      expect(body.opens_at).toBe(CALENDAR.registration_opens_at);
      // A senior's window opened two days earlier.
      await http.patch('/api/users/el-senior').set(admin).send({ priority_group: 'senior' });
      expect((await enroll('el-senior', 'HIST101-2031-FALL')).status).toBe(201);

      jest.spyOn(clock, 'now').mockReturnValue(new Date('2031-09-11T00:00:00Z'));
      await expectRefused('el-window', 'HIST101-2031-FALL', 422, ['REGISTRATION_CLOSED']);
    } finally {
      jest.spyOn(clock, 'now').mockReturnValue(NOW);
    }
    expect((await enroll('el-window', 'HIST101-2031-FALL')).status).toBe(201);
  });

  it('lets only admins manage records and holds, with clear 4xx for what is not there', async () => {
    const student = await studentAuth('el-hold');
    expect((await http.patch('/api/users/el-x').set(student).send({ max_credits: 3 })).status).toBe(
      403,
    );
    const noRecord = await http
      .post('/api/users/nobody/holds')
      .set(admin)
      .send({ code: 'X', reason: 'y' });
    expect({ status: noRecord.status, code: noRecord.body.code }).toEqual({
      status: 404,
      code: 'USER_NOT_FOUND',
    });
    const noHold = await http.delete('/api/users/el-hold/holds/no-such-hold').set(admin);
    expect({ status: noHold.status, code: noHold.body.code }).toEqual({
      status: 404,
      code: 'HOLD_NOT_FOUND',
    });
    const empty = await http.patch('/api/users/el-x').set(admin).send({});
    expect(empty.body.code).toBe('EMPTY_UPDATE');
    const bad = await http
      .post('/api/users/el-hold/holds')
      .set(admin)
      .send({ code: 'lower', reason: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/code/);
    expect(bad.body.message).toMatch(/reason/);
  });
});
