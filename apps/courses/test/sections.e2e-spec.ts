// Section fields (DESIGN §8): meetings, prerequisites, corequisites and a waitlist on each course.
import { NestExpressApplication } from '@nestjs/platform-express';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import request from 'supertest';
import { startApp, testStack, tokenFor } from '@app/testing';
import { CoursesModule } from '../src/courses.module';

const stack = testStack('sections');

const SECTION = {
  course_id: 'CS201-2026-FALL',
  course_code: 'CS201',
  title: 'Data Structures',
  semester_id: '2026-FALL',
  department_id: 'CS',
  instructor_id: 'i1',
  capacity: 40,
  credits: 4,
  meetings: [
    { days: ['MO', 'WE', 'FR'], start: '09:00', end: '09:50' },
    { days: ['TH'], start: '14:00', end: '15:50' },
  ],
  prerequisites: ['CS101'],
  corequisites: ['CS201L'],
  waitlist_capacity: 15,
};

describe('section fields (courses app through DynamoDB Local and Redis)', () => {
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;
  let admin: Record<string, string>;

  beforeAll(async () => {
    await stack.migrate();
    app = await startApp(CoursesModule);
    http = request(app.getHttpServer());
    admin = { Authorization: `Bearer ${await tokenFor({ sub: 'a1', role: 'admin' })}` };
  });

  afterAll(async () => {
    await app?.close();
    await stack.drop();
  });

  it('stores meetings, prerequisites, corequisites and the waitlist, and shows them in the detail', async () => {
    const created = await http.post('/api/courses').set(admin).send(SECTION);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...SECTION, waitlist_count: 0 });
    const detail = await http.get(`/api/courses/${SECTION.course_id}`).expect(200);
    expect(detail.body).toMatchObject({ ...SECTION, waitlist_count: 0, seats_available: 40 });
  });

  it('updates them, and the next detail read shows the change', async () => {
    const patched = await http
      .patch(`/api/courses/${SECTION.course_id}`)
      .set(admin)
      .send({ meetings: [], prerequisites: [], waitlist_capacity: 0 });
    expect(patched.status).toBe(200);
    const detail = await http.get(`/api/courses/${SECTION.course_id}`).expect(200);
    expect(detail.body).toMatchObject({ meetings: [], prerequisites: [], waitlist_capacity: 0 });
    expect(detail.body.corequisites).toEqual(['CS201L']);
  });

  it('gives a course stored before these fields existed their defaults', async () => {
    await stack.doc.send(
      new PutCommand({
        TableName: stack.tables.courses,
        Item: {
          course_id: 'OLD1-2026-FALL',
          course_code: 'OLD1',
          title: 'Old',
          semester_id: '2026-FALL',
          department_id: 'CS',
          instructor_id: 'i1',
          capacity: 10,
          credits: 3,
          enrolled_count: 0,
          dept_code: 'CS#OLD1',
          semester_code: '2026-FALL#OLD1',
        },
      }),
    );
    const detail = await http.get('/api/courses/OLD1-2026-FALL').expect(200);
    expect(detail.body).toMatchObject({
      meetings: [],
      prerequisites: [],
      corequisites: [],
      waitlist_capacity: 0,
      waitlist_count: 0,
    });
  });

  it.each([
    [
      'a day that is not MO…SU',
      { meetings: [{ days: ['XX'], start: '09:00', end: '10:00' }] },
      /days/,
    ],
    ['no day', { meetings: [{ days: [], start: '09:00', end: '10:00' }] }, /days/],
    [
      'a time that is not HH:MM',
      { meetings: [{ days: ['MO'], start: '9:00', end: '10:00' }] },
      /start must be HH:MM/,
    ],
    [
      'an hour past 23',
      { meetings: [{ days: ['MO'], start: '09:00', end: '24:00' }] },
      /end must be HH:MM/,
    ],
    [
      'a meeting that ends before it starts',
      { meetings: [{ days: ['MO'], start: '10:00', end: '09:00' }] },
      /meetings\.0\.start must be before end/,
    ],
    ['a meeting missing its end', { meetings: [{ days: ['MO'], start: '10:00' }] }, /end/],
    [
      'an unknown meeting field',
      { meetings: [{ days: ['MO'], start: '09:00', end: '10:00', room: 'A1' }] },
      /room/,
    ],
    ['a prerequisite that is not a course code', { prerequisites: ['CS 101'] }, /prerequisites/],
    ['a repeated corequisite', { corequisites: ['CS201L', 'CS201L'] }, /corequisites/],
    ['a waitlist above 500', { waitlist_capacity: 501 }, /waitlist_capacity/],
    ['a negative waitlist', { waitlist_capacity: -1 }, /waitlist_capacity/],
  ])(
    'refuses %s with 400 VALIDATION_FAILED naming the field, creating nothing',
    async (_, change, message) => {
      const id = 'BAD1-2026-FALL';
      const res = await http
        .post('/api/courses')
        .set(admin)
        .send({ ...SECTION, course_id: id, course_code: 'BAD1', ...change });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.message).toMatch(message);
      expect((await http.get(`/api/courses/${id}`)).status).toBe(404);
    },
  );
});
