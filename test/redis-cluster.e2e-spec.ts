// The courses and enrollments apps on a three-master Redis Cluster of this file's own: cache,
// invalidation across apps, the rate limiter's script and the email enqueue all work without a
// cross-slot command, and with one master stopped every request is still answered from DynamoDB.
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { RedisClient } from '@app/common';
import {
  adminRedis,
  eventually,
  keysByServer,
  startApp,
  startRedisCluster,
  studentAuth,
  testStack,
  TestStack,
} from '@app/testing';
import type { RedisClusterHandle } from '@app/testing';
import { CoursesModule } from '../apps/courses/src/courses.module';
import { EnrollmentsModule } from '../apps/enrollments/src/enrollments.module';

const COURSES = Array.from({ length: 12 }, (_, i) => `CL${100 + i}-2026-FALL`);
const keysMatching = async (redis: RedisClient, pattern: string) =>
  (await keysByServer(redis, pattern)).flat();
const LIST = '/api/courses?semester_id=2026-FALL&department_id=CS';

describe('courses and enrollments on a Redis Cluster', () => {
  let cluster: RedisClusterHandle;
  let stack: TestStack;
  let admin: RedisClient;
  let courses: NestExpressApplication;
  let enrollments: NestExpressApplication;
  const read = (path: string) => request(courses.getHttpServer()).get(path);
  const enroll = async (sub: string, courseId: string) =>
    request(enrollments.getHttpServer())
      .post('/api/enrollments')
      .set(await studentAuth(sub))
      .send({ course_id: courseId });
  const redisStatus = async (app: NestExpressApplication) => {
    const res = await request(app.getHttpServer()).get('/health/ready');
    return { http: res.status, redis: res.body.details?.redis?.status as string | undefined };
  };

  beforeAll(async () => {
    cluster = await startRedisCluster();
    stack = testStack('cluster', {
      REDIS_CLUSTER_NODES: cluster.nodes,
      OUTBOX_RELAY_ENABLED: 'false',
    });
    admin = adminRedis(stack.env);
    await stack.migrate();
    await Promise.all(COURSES.map((id) => stack.putCourse(id, { capacity: 5 })));
    courses = await startApp(CoursesModule);
    enrollments = await startApp(EnrollmentsModule);
  });

  afterAll(async () => {
    await courses?.close();
    await enrollments?.close();
    await stack?.drop();
    admin?.disconnect();
    await cluster?.stop();
  });

  it('caches, and an enrollment in one app invalidates what the other cached', async () => {
    expect((await read(LIST).expect(200)).headers['x-cache']).toBe('MISS');
    expect((await read(LIST).expect(200)).headers['x-cache']).toBe('HIT');
    const before = await read(`/api/courses/${COURSES[0]}`).expect(200);
    expect((await read(`/api/courses/${COURSES[0]}`)).headers['x-cache']).toBe('HIT');

    expect((await enroll('s1', COURSES[0])).status).toBe(201);

    const after = await read(`/api/courses/${COURSES[0]}`).expect(200);
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.body.seats_available).toBe(before.body.seats_available - 1);
  });

  it('keeps the rate limit counters (one script, two keys of one slot) and queues the email', async () => {
    const counters = await keysMatching(admin, `${stack.env.CACHE_PREFIX}:rl:*`);
    expect(counters.some((k) => k.endsWith(':hits'))).toBe(true);
    expect(await admin.pttl(counters[0])).toBeGreaterThan(0);
    let jobs: string[] = [];
    await eventually(
      async () =>
        (jobs = await keysMatching(admin, `${stack.env.QUEUE_PREFIX}:email:*`)).length > 0,
    );
    expect(jobs.length).toBeGreaterThan(0);
    expect(await redisStatus(courses)).toEqual({ http: 200, redis: 'up' });
  });

  it("promotes a waitlisted student through the waitlist queue (its keys share the queue's hash tag)", async () => {
    const id = 'CLWAIT-2026-FALL';
    await stack.putCourse(id, { capacity: 1, waitlist_capacity: 3 });
    const http = request(enrollments.getHttpServer());
    expect((await enroll('cl-seat', id)).status).toBe(201);
    const joined = await http
      .post('/api/enrollments')
      .set(await studentAuth('cl-wait'))
      .send({ course_id: id, waitlist: true });
    expect(joined.body).toMatchObject({ status: 'waitlisted', position: 1 });
    await http
      .delete(`/api/enrollments/${id}`)
      .set(await studentAuth('cl-seat'))
      .expect(204);
    const statusOf = async () =>
      (await http.get('/api/enrollments/me').set(await studentAuth('cl-wait'))).body.items?.[0]
        ?.status as string | undefined;
    await eventually(async () => (await statusOf()) === 'enrolled', 30_000);
    expect(await statusOf()).toBe('enrolled');
    expect(
      (await keysMatching(admin, `${stack.env.QUEUE_PREFIX}:waitlist:*`)).length,
    ).toBeGreaterThan(0);
  });

  it('with one master stopped, every read and write is answered (from DynamoDB), never a 5xx', async () => {
    await cluster.stopNode(0);
    const statuses: number[] = [];
    for (const id of COURSES) {
      const res = await read(`/api/courses/${id}`);
      statuses.push(res.status);
      expect(res.body.course_id).toBe(id);
    }
    statuses.push((await read(LIST)).status);
    statuses.push((await enroll('s2', COURSES[1])).status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.at(-1)).toBe(201);
    expect(await redisStatus(courses)).toEqual({ http: 200, redis: 'degraded' });
    // The write went through: the detail read from DynamoDB shows the seat taken.
    expect((await read(`/api/courses/${COURSES[1]}`)).body.seats_available).toBe(4);
  });

  it('caches again once the master is back, without restarting the apps', async () => {
    await cluster.startNode(0);
    let seen: string | undefined;
    await eventually(async () => {
      seen = (await read(LIST)).headers['x-cache'];
      return seen === 'HIT';
    }, 20_000);
    expect(seen).toBe('HIT');
    await eventually(async () => (await redisStatus(courses)).redis === 'up');
    expect(await redisStatus(courses)).toEqual({ http: 200, redis: 'up' });
  });
});
