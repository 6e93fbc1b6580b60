import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { CoursesRepository } from '@app/data';
import { CoursesModule } from '../src/courses.module';
import { startApp, testStack, tokenFor } from '@app/testing';

const stack = testStack('catalog', {
  LOG_LEVEL: 'warn',
});
const { setEnrolled } = stack;

const course = (id: string, over: Record<string, unknown> = {}) => ({
  course_id: id,
  course_code: id.split('-')[0],
  title: `Course ${id}`,
  semester_id: '2026-FALL',
  department_id: id.startsWith('CS') ? 'CS' : 'MATH',
  instructor_id: 'i1',
  capacity: 30,
  credits: 4,
  ...over,
});

describe('catalog (courses app through DynamoDB Local and Redis)', () => {
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;
  let admin: string, instructor: string, otherInstructor: string, student: string;

  const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

  beforeAll(async () => {
    await stack.migrate();
    app = await startApp(CoursesModule);
    http = request(app.getHttpServer());
    [admin, instructor, otherInstructor, student] = await Promise.all([
      tokenFor({ sub: 'a1', role: 'admin' }),
      tokenFor({ sub: 'i1', role: 'instructor' }),
      tokenFor({ sub: 'i2', role: 'instructor' }),
      tokenFor({ sub: 'u1', role: 'student' }),
    ]);
    for (const c of [
      course('CS101-2026-FALL'),
      course('CS102-2026-FALL'),
      course('CS201-2026-FALL'),
      course('MATH101-2026-FALL'),
    ]) {
      await http.post('/api/courses').set(auth(admin)).send(c).expect(201);
    }
    await http
      .post('/api/courses')
      .set(auth(admin))
      .send(course('CS101-2027-SPRING', { semester_id: '2027-SPRING' }))
      .expect(201);
  });

  afterAll(async () => {
    await app?.close();
    await stack.drop();
  });

  describe('create', () => {
    it('returns the stored course with counters and version', async () => {
      const res = await http
        .post('/api/courses')
        .set(auth(admin))
        .send(course('CS301-2026-FALL'))
        .expect(201);
      expect(res.body).toMatchObject({
        course_id: 'CS301-2026-FALL',
        enrolled_count: 0,
        version: 1,
        capacity: 30,
      });
      expect(res.body.created_at).toEqual(expect.any(String));
    });

    it('409 COURSE_EXISTS for an existing id', async () => {
      const res = await http
        .post('/api/courses')
        .set(auth(admin))
        .send(course('CS101-2026-FALL'))
        .expect(409);
      expect(res.body).toEqual({
        statusCode: 409,
        error: 'Conflict',
        code: 'COURSE_EXISTS',
        message: expect.any(String),
      });
    });

    it.each([
      ['no token', {}, 401, 'UNAUTHENTICATED'],
      ['a student', { student: true }, 403, 'FORBIDDEN_ROLE'],
    ])('rejects %s', async (_label, opts, status, code) => {
      const req = http.post('/api/courses');
      if ((opts as { student?: boolean }).student) req.set(auth(student));
      const res = await req.send(course('X1-2026-FALL')).expect(status);
      expect(res.body.code).toBe(code);
    });

    it('401 INVALID_TOKEN for a forged token', async () => {
      const res = await http
        .post('/api/courses')
        .set({ Authorization: `Bearer ${admin.slice(0, -3)}abc` })
        .send({})
        .expect(401);
      expect(res.body.code).toBe('INVALID_TOKEN');
    });

    it.each([
      ['an unknown field', { ...course('Y1-2026-FALL'), hacker: true }, /hacker/],
      ['capacity 0', course('Y1-2026-FALL', { capacity: 0 }), /capacity/],
      ['capacity as a string', course('Y1-2026-FALL', { capacity: '30' }), /capacity/],
      ['credits 31', course('Y1-2026-FALL', { credits: 31 }), /credits/],
      ['a bad id', course('../etc', {}), /course_id/],
      ['no title', { ...course('Y1-2026-FALL'), title: undefined }, /title/],
    ])('400 VALIDATION_FAILED for %s', async (_label, body, field) => {
      const res = await http.post('/api/courses').set(auth(admin)).send(body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.message).toMatch(field);
    });

    it('400 MALFORMED_JSON for broken JSON and 413 for an oversized body', async () => {
      const bad = await http
        .post('/api/courses')
        .set(auth(admin))
        .set('Content-Type', 'application/json')
        .send('{"course_id":')
        .expect(400);
      expect(bad.body.code).toBe('MALFORMED_JSON');
      const big = await http
        .post('/api/courses')
        .set(auth(admin))
        .send(course('Z1-2026-FALL', { description: 'x'.repeat(200_000) }))
        .expect(413);
      expect(big.body.code).toBe('PAYLOAD_TOO_LARGE');
    });
  });

  describe('list by semester', () => {
    it('serves a page from the GSI, then the same body from the cache', async () => {
      const first = await http
        .get('/api/courses?semester_id=2026-FALL&department_id=CS')
        .expect(200);
      expect(first.headers['x-cache']).toBe('MISS');
      expect(first.body.items.map((c: { course_id: string }) => c.course_id)).toEqual([
        'CS101-2026-FALL',
        'CS102-2026-FALL',
        'CS201-2026-FALL',
        'CS301-2026-FALL',
      ]);
      expect(first.body.items[0]).not.toHaveProperty('enrolled_count');
      const second = await http
        .get('/api/courses?department_id=CS&semester_id=2026-FALL')
        .expect(200);
      expect(second.headers['x-cache']).toBe('HIT');
      expect(second.body).toEqual(first.body);
    });

    it('pages with an opaque cursor to the end without gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/courses?semester_id=2026-FALL&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await http.get(url).expect(200);
        seen.push(...res.body.items.map((c: { course_id: string }) => c.course_id));
        cursor = res.body.next_cursor;
      } while (cursor);
      expect(seen.sort()).toEqual([
        'CS101-2026-FALL',
        'CS102-2026-FALL',
        'CS201-2026-FALL',
        'CS301-2026-FALL',
        'MATH101-2026-FALL',
      ]);
    });

    it('rejects a tampered cursor and a cursor from another query', async () => {
      const page = await http.get('/api/courses?semester_id=2026-FALL&limit=1').expect(200);
      const cursor: string = page.body.next_cursor;
      const tampered = cursor.slice(0, -2) + (cursor.endsWith('A') ? 'BB' : 'AA');
      const bad = await http
        .get(`/api/courses?semester_id=2026-FALL&cursor=${tampered}`)
        .expect(400);
      expect(bad.body.code).toBe('INVALID_CURSOR');
      const other = await http
        .get(`/api/courses?semester_id=2027-SPRING&cursor=${cursor}`)
        .expect(400);
      expect(other.body.code).toBe('INVALID_CURSOR');
    });

    it.each([
      ['no semester', '/api/courses'],
      ['limit 0', '/api/courses?semester_id=2026-FALL&limit=0'],
      ['limit 101', '/api/courses?semester_id=2026-FALL&limit=101'],
      ['limit abc', '/api/courses?semester_id=2026-FALL&limit=abc'],
      ['an unknown parameter', '/api/courses?semester_id=2026-FALL&sort=title'],
      ['a repeated parameter', '/api/courses?semester_id=2026-FALL&semester_id=2027-SPRING'],
    ])('400 for %s', async (_label, url) => {
      const res = await http.get(url).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('detail', () => {
    it('has live seats_available and is cached', async () => {
      await setEnrolled('CS102-2026-FALL', 7);
      const first = await http.get('/api/courses/CS102-2026-FALL').expect(200);
      expect(first.body).toMatchObject({
        course_id: 'CS102-2026-FALL',
        enrolled_count: 7,
        seats_available: 23,
      });
      const second = await http.get('/api/courses/CS102-2026-FALL').expect(200);
      expect(second.headers['x-cache']).toBe('HIT');
      expect(second.body).toEqual(first.body);
    });

    it('404 COURSE_NOT_FOUND, not cached as success', async () => {
      const res = await http.get('/api/courses/NOPE-1').expect(404);
      expect(res.body.code).toBe('COURSE_NOT_FOUND');
      expect((await http.get('/api/courses/NOPE-1').expect(404)).headers['x-cache']).not.toBe(
        'HIT',
      );
    });

    it('100 concurrent misses on one key cause one DynamoDB load', async () => {
      const repo = app.get(CoursesRepository);
      const spy = jest.spyOn(repo, 'get');
      try {
        const responses = await Promise.all(
          Array.from({ length: 100 }, () => http.get('/api/courses/CS201-2026-FALL')),
        );
        expect(
          responses.every((r) => r.status === 200 && r.body.course_id === 'CS201-2026-FALL'),
        ).toBe(true);
        expect(spy).toHaveBeenCalledTimes(1);
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('by instructor', () => {
    it("lists an instructor's courses, optionally for one semester", async () => {
      const all = await http.get('/api/instructors/i1/courses').expect(200);
      expect(all.body.items.length).toBe(6);
      const fall = await http
        .get('/api/instructors/i1/courses?semester_id=2027-SPRING')
        .expect(200);
      expect(fall.body.items.map((c: { course_id: string }) => c.course_id)).toEqual([
        'CS101-2027-SPRING',
      ]);
      expect((await http.get('/api/instructors/nobody/courses').expect(200)).body).toEqual({
        items: [],
        next_cursor: null,
      });
    });
  });

  describe('update', () => {
    it('no stale read: list and detail show the change at once', async () => {
      await http.get('/api/courses/CS101-2026-FALL').expect(200);
      await http.get('/api/courses?semester_id=2026-FALL&department_id=CS').expect(200);
      const res = await http
        .patch('/api/courses/CS101-2026-FALL')
        .set(auth(instructor))
        .send({ title: 'Programming I' })
        .expect(200);
      expect(res.body).toMatchObject({ title: 'Programming I', version: 2 });
      const detail = await http.get('/api/courses/CS101-2026-FALL').expect(200);
      expect(detail.body.title).toBe('Programming I');
      const list = await http
        .get('/api/courses?semester_id=2026-FALL&department_id=CS')
        .expect(200);
      expect(
        list.body.items.find((c: { course_id: string }) => c.course_id === 'CS101-2026-FALL').title,
      ).toBe('Programming I');
    });

    it("reassigning a course refreshes both instructors' lists", async () => {
      await http.get('/api/instructors/i1/courses').expect(200);
      await http.get('/api/instructors/i2/courses').expect(200);
      await http
        .patch('/api/courses/MATH101-2026-FALL')
        .set(auth(admin))
        .send({ instructor_id: 'i2' })
        .expect(200);
      const i1 = await http.get('/api/instructors/i1/courses').expect(200);
      const i2 = await http.get('/api/instructors/i2/courses').expect(200);
      expect(i1.body.items.map((c: { course_id: string }) => c.course_id)).not.toContain(
        'MATH101-2026-FALL',
      );
      expect(i2.body.items.map((c: { course_id: string }) => c.course_id)).toEqual([
        'MATH101-2026-FALL',
      ]);
    });

    it('403 for another instructor, and for an instructor handing a course over', async () => {
      const other = await http
        .patch('/api/courses/CS101-2026-FALL')
        .set(auth(otherInstructor))
        .send({ title: 'x' })
        .expect(403);
      expect(other.body.code).toBe('NOT_COURSE_INSTRUCTOR');
      const handover = await http
        .patch('/api/courses/CS101-2026-FALL')
        .set(auth(instructor))
        .send({ instructor_id: 'i2' })
        .expect(403);
      expect(handover.body.code).toBe('FORBIDDEN_FIELD');
      await http
        .patch('/api/courses/CS101-2026-FALL')
        .set(auth(student))
        .send({ title: 'x' })
        .expect(403);
    });

    it('409 CAPACITY_BELOW_ENROLLED, 404 for an unknown course, 400 for an empty or identity-changing patch', async () => {
      await setEnrolled('CS201-2026-FALL', 10);
      const below = await http
        .patch('/api/courses/CS201-2026-FALL')
        .set(auth(admin))
        .send({ capacity: 9 })
        .expect(409);
      expect(below.body.code).toBe('CAPACITY_BELOW_ENROLLED');
      await http
        .patch('/api/courses/CS201-2026-FALL')
        .set(auth(admin))
        .send({ capacity: 10 })
        .expect(200);
      expect(
        (await http.patch('/api/courses/NOPE-1').set(auth(admin)).send({ title: 't' }).expect(404))
          .body.code,
      ).toBe('COURSE_NOT_FOUND');
      expect(
        (await http.patch('/api/courses/CS201-2026-FALL').set(auth(admin)).send({}).expect(400))
          .body.code,
      ).toBe('EMPTY_UPDATE');
      expect(
        (
          await http
            .patch('/api/courses/CS201-2026-FALL')
            .set(auth(admin))
            .send({ semester_id: 'x' })
            .expect(400)
        ).body.code,
      ).toBe('VALIDATION_FAILED');
    });
  });

  describe('delete', () => {
    it('409 while the course has enrollments; 204 then gone from detail and list', async () => {
      const busy = await http.delete('/api/courses/CS201-2026-FALL').set(auth(admin)).expect(409);
      expect(busy.body.code).toBe('COURSE_HAS_ENROLLMENTS');
      await http.get('/api/courses/CS301-2026-FALL').expect(200);
      await http.get('/api/courses?semester_id=2026-FALL').expect(200);
      const res = await http.delete('/api/courses/CS301-2026-FALL').set(auth(admin)).expect(204);
      expect(res.text).toBe('');
      await http.get('/api/courses/CS301-2026-FALL').expect(404);
      const list = await http.get('/api/courses?semester_id=2026-FALL').expect(200);
      expect(list.body.items.map((c: { course_id: string }) => c.course_id)).not.toContain(
        'CS301-2026-FALL',
      );
      await http.delete('/api/courses/CS301-2026-FALL').set(auth(admin)).expect(404);
    });
  });

  describe('platform endpoints', () => {
    it('health, metrics and docs', async () => {
      expect((await http.get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
      const ready = await http.get('/health/ready').expect(200);
      expect(ready.body.status).toBe('ok');
      const metrics = await http.get('/metrics').expect(200);
      expect(metrics.text).toMatch(/cache_requests_total\{[^}]*result="hit"/);
      expect(metrics.text).toMatch(/http_request_duration_seconds_bucket/);
      await http.get('/docs').expect(200);
      expect((await http.get('/api/nothing-here').expect(404)).body.code).toBe('NOT_FOUND');
    });
  });
});
