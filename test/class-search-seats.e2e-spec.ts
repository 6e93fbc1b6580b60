// Class search shows seats (DESIGN §8) through the real stack (DynamoDB Local, Redis, the courses
// and enrollments apps): list items carry seats_available, waitlist_count and status, merged per
// request into the cached page, so an enroll changes them on the next read while the page stays a
// cache hit, and the ETag follows what is sent (304 only while the seats are unchanged).
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { ResponseCache } from '@app/cache/response-cache';
import { Tags } from '@app/data';
import { authAs, eventually, startApp, studentAuth, testStack } from '@app/testing';
import { CoursesModule } from '../apps/courses/src/courses.module';
import { EnrollmentsModule } from '../apps/enrollments/src/enrollments.module';

const stack = testStack('class_seats');
const TERM = '2033-FALL';
const LIST = `/api/courses?semester_id=${TERM}`;
const BY_INSTRUCTOR = `/api/instructors/iseats/courses?semester_id=${TERM}`;
const [A, B, C] = ['SA1-2033-FALL', 'SB1-2033-FALL', 'SC1-2033-FALL'];

interface Item {
  course_id: string;
  seats_available: number;
  waitlist_count: number;
  status: string;
}

describe('class search shows seats', () => {
  let courses: NestExpressApplication;
  let enrollments: NestExpressApplication;
  let catalog: ReturnType<typeof request>;
  let registrar: ReturnType<typeof request>;

  const get = (path: string, headers: Record<string, string> = {}) =>
    catalog.get(path).set(headers);
  const seatsOf = (body: { items: Item[] }) =>
    Object.fromEntries(
      body.items.map((i) => [i.course_id, [i.seats_available, i.waitlist_count, i.status]]),
    );
  const enroll = async (sub: string, courseId: string) =>
    registrar
      .post('/api/enrollments')
      .set(await studentAuth(sub))
      .send({ course_id: courseId });
  /** Reads `path` until `courseId` shows `seats` (the other app's tag bump reaches this one's L1 over the bus). */
  const readUntil = async (path: string, courseId: string, seats: unknown[]) => {
    let res: request.Response | undefined;
    await eventually(async () => {
      res = await get(path);
      return JSON.stringify(seatsOf(res.body)[courseId]) === JSON.stringify(seats);
    }, 3000);
    return res!;
  };

  beforeAll(async () => {
    await stack.migrate();
    const section = { semester_id: TERM, instructor_id: 'iseats' };
    await stack.putCourse(A, { ...section, capacity: 2 });
    await stack.putCourse(B, { ...section, capacity: 1, waitlist_capacity: 3 });
    await stack.putCourse(C, { ...section, capacity: 1, enrolled_count: 1 });
    courses = await startApp(CoursesModule);
    enrollments = await startApp(EnrollmentsModule);
    catalog = request(courses.getHttpServer());
    registrar = request(enrollments.getHttpServer());
  });

  afterAll(async () => {
    await enrollments?.close();
    await courses?.close();
    await stack.drop();
  });

  it('lists every item with its seats, from a miss and from a hit alike', async () => {
    const miss = await get(LIST);
    expect(miss.status).toBe(200);
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(seatsOf(miss.body)).toEqual({
      [A]: [2, 0, 'open'],
      [B]: [1, 0, 'open'],
      [C]: [0, 0, 'full'],
    });
    // The stable fields are all there beside them.
    expect(miss.body.items[0]).toMatchObject({ course_id: A, capacity: 2, semester_id: TERM });
    expect(miss.body.items[0]).not.toHaveProperty('enrolled_count');

    const hit = await get(LIST);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.text).toBe(miss.text);
    expect(hit.headers.etag).toBe(miss.headers.etag);
    expect(Number(hit.headers['content-length'])).toBe(Buffer.byteLength(hit.text));
    // Through Nest (a token sent: the hit path leaves it to the interceptor), the same bytes.
    const viaNest = await get(LIST, await authAs('someone'));
    expect(viaNest.headers['x-cache']).toBe('HIT');
    expect(viaNest.text).toBe(miss.text);
    expect(viaNest.headers.etag).toBe(miss.headers.etag);
  });

  it('shows an enroll on the next read while the page stays a hit, with a new ETag', async () => {
    const before = await get(LIST);
    expect(before.headers['x-cache']).toBe('HIT');
    expect((await get(LIST, { 'If-None-Match': before.headers.etag })).status).toBe(304);

    expect((await enroll('seat-s1', A)).status).toBe(201);
    const one = await readUntil(LIST, A, [1, 0, 'open']);
    expect(seatsOf(one.body)[A]).toEqual([1, 0, 'open']);
    expect(one.headers['x-cache']).toBe('HIT');
    expect(one.headers.etag).not.toBe(before.headers.etag);

    expect((await enroll('seat-s2', A)).status).toBe(201);
    const full = await readUntil(LIST, A, [0, 0, 'full']);
    expect(seatsOf(full.body)[A]).toEqual([0, 0, 'full']);
    expect(full.headers['x-cache']).toBe('HIT');
    expect(seatsOf(full.body)[B]).toEqual([1, 0, 'open']);

    // The old validator no longer matches; the new one does, on the hit path and through Nest.
    const stale = await get(LIST, { 'If-None-Match': one.headers.etag });
    expect(stale.status).toBe(200);
    expect(seatsOf(stale.body)[A]).toEqual([0, 0, 'full']);
    expect((await get(LIST, { 'If-None-Match': full.headers.etag })).status).toBe(304);
    const viaNest = await get(LIST, {
      ...(await authAs('someone')),
      'If-None-Match': full.headers.etag,
    });
    expect(viaNest.headers['x-cache']).toBe('HIT');
    expect(viaNest.status).toBe(304);
  });

  it('shows a waitlist once someone waits, after a direct write and a bump of the seats tag', async () => {
    await stack.doc.send(
      new UpdateCommand({
        TableName: stack.tables.courses,
        Key: { course_id: B },
        UpdateExpression: 'SET enrolled_count = :one, waitlist_count = :two',
        ExpressionAttributeValues: { ':one': 1, ':two': 2 },
      }),
    );
    await courses.get(ResponseCache).invalidate([Tags.seats(B)]);
    const res = await get(LIST);
    expect(res.headers['x-cache']).toBe('HIT');
    expect(seatsOf(res.body)[B]).toEqual([0, 2, 'waitlist']);

    await stack.doc.send(
      new UpdateCommand({
        TableName: stack.tables.courses,
        Key: { course_id: B },
        UpdateExpression: 'SET waitlist_count = :three',
        ExpressionAttributeValues: { ':three': 3 },
      }),
    );
    await courses.get(ResponseCache).invalidate([Tags.seats(B)]);
    expect(seatsOf((await get(LIST)).body)[B]).toEqual([0, 3, 'full']);
  });

  it("merges the instructor's list the same way", async () => {
    const miss = await get(BY_INSTRUCTOR);
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(seatsOf(miss.body)).toEqual({
      [A]: [0, 0, 'full'],
      [B]: [0, 3, 'full'],
      [C]: [0, 0, 'full'],
    });
    const hit = await get(BY_INSTRUCTOR);
    expect(hit.headers['x-cache']).toBe('HIT');

    // A drop frees a seat of A: the instructor's cached page shows it too.
    const drop = await registrar.delete(`/api/enrollments/${A}`).set(await studentAuth('seat-s1'));
    expect(drop.status).toBe(204);
    const after = await readUntil(BY_INSTRUCTOR, A, [1, 0, 'open']);
    expect(seatsOf(after.body)[A]).toEqual([1, 0, 'open']);
    expect(after.headers['x-cache']).toBe('HIT');
    expect(after.headers.etag).not.toBe(hit.headers.etag);
  });

  it('raising capacity (PATCH) shows at once, the page reloaded for its stable fields', async () => {
    const patch = await catalog
      .patch(`/api/courses/${C}`)
      .set(await authAs('admin1', 'admin'))
      .send({ capacity: 3 });
    expect(patch.status).toBe(200);
    const res = await get(LIST);
    expect(seatsOf(res.body)[C]).toEqual([2, 0, 'open']);
  });
});
