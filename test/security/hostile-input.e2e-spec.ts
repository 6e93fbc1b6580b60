// Regression tests for the outside probe's findings (README, "Hostile input"), one describe per finding, each
// through the three real apps, DynamoDB Local and Redis.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SignJWT } from 'jose';
import { Redis } from 'ioredis';
import { CursorCodec, GSI } from '@app/data';
import { TEST_JWT_SECRET, testStack, tokenFor } from '@app/testing';
import { RawRequest, RawResponse, startThreeApps } from '../three-apps';

// The per-address read limit on (high): its counters are Redis keys reads do create, and must expire.
const stack = testStack('hostile', { RATE_LIMIT_READS: '1000000' });
const { doc, tables } = stack;
jest.setTimeout(90_000);

const COURSE = 'SEC101-2026-FALL';

describe('hostile input and the cache', () => {
  let api: Awaited<ReturnType<typeof startThreeApps>>;
  let redis: Redis;
  let admin: string, instructor: string, otherInstructor: string, student: string;

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const send = (r: RawRequest) => api.send(r);
  const json = (r: Omit<RawRequest, 'body'> & { body: unknown }) =>
    send({ ...r, body: JSON.stringify(r.body) });
  // The cache's keys; the rate limit's counters (one per client address per window, with a TTL,
  // checked in section 3) live beside them and are left out.
  const cacheKeys = async () =>
    (await redis.keys(`${stack.env.CACHE_PREFIX}:*`))
      .filter((k) => !k.startsWith(`${stack.env.CACHE_PREFIX}:rl:`))
      .sort();
  // Entries may expire meanwhile (index-lag entries live seconds): what matters is that none appears.
  const added = (before: string[], after: string[]) => after.filter((k) => !before.includes(k));
  const expectError = (res: RawResponse, status: number, code: string) => {
    expect({ status: res.status, code: (res.json as { code?: string } | undefined)?.code }).toEqual(
      { status, code },
    );
  };
  const storedCourse = async (id: string) =>
    (
      await doc.send(
        new GetCommand({ TableName: tables.courses, Key: { course_id: id }, ConsistentRead: true }),
      )
    ).Item;

  beforeAll(async () => {
    await stack.migrate();
    redis = new Redis(stack.env.REDIS_URL);
    api = await startThreeApps();
    [admin, instructor, otherInstructor, student] = await Promise.all([
      tokenFor({ sub: 'a1', role: 'admin' }),
      tokenFor({ sub: 'i1', role: 'instructor' }),
      tokenFor({ sub: 'i2', role: 'instructor' }),
      tokenFor({ sub: 's1', role: 'student', email: 's1@example.edu' }),
    ]);
    await stack.putCourse(COURSE, { instructor_id: 'i1', description: 'kept' });
  });

  afterAll(async () => {
    await api?.close();
    redis?.disconnect();
    await stack.drop();
  });

  describe('1. JSON nesting is refused before any transformation, in every app', () => {
    const deep = `{"course_id":${'['.repeat(5000)}${']'.repeat(5000)}}`;

    it('answers 400 VALIDATION_FAILED naming the limit, for enroll and course update', async () => {
      const enroll = await send({
        app: 'enrollments',
        method: 'POST',
        path: '/api/enrollments',
        headers: bearer(student),
        body: deep,
      });
      expectError(enroll, 400, 'VALIDATION_FAILED');
      expect((enroll.json as { message: string }).message).toContain('10 levels');
      const patch = await send({
        app: 'courses',
        method: 'PATCH',
        path: `/api/courses/${COURSE}`,
        headers: bearer(instructor),
        body: deep,
      });
      expectError(patch, 400, 'VALIDATION_FAILED');
      const notifications = await send({
        app: 'notifications',
        method: 'POST',
        path: '/api/queues/email/counts',
        headers: bearer(admin),
        body: deep,
      });
      expectError(notifications, 400, 'VALIDATION_FAILED');
    });

    it('counts only structure: brackets inside strings are text, and ten levels are allowed', async () => {
      const tenDeep = `{"title":${'['.repeat(9)}"x"${']'.repeat(9)}}`;
      const res = await send({
        app: 'courses',
        method: 'PATCH',
        path: `/api/courses/${COURSE}`,
        headers: bearer(instructor),
        body: tenDeep,
      });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect((res.json as { message: string }).message).toContain('title must be a string');
      const bracketsInText = await json({
        app: 'courses',
        method: 'PATCH',
        path: `/api/courses/${COURSE}`,
        headers: bearer(instructor),
        body: { title: `[[[[[[[[[[[[{{{{{{{{{{{{ \\" ${'['.repeat(50)}` },
      });
      expect(bracketsInText.status).toBe(200);
    });

    it('refuses JSON in another charset than UTF-8 (415)', async () => {
      const res = await send({
        app: 'enrollments',
        method: 'POST',
        path: '/api/enrollments',
        headers: { ...bearer(student), 'content-type': 'application/json; charset=utf-16le' },
        body: Buffer.from(`{"course_id":"${COURSE}"}`, 'utf16le'),
      });
      expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe('2. authorization runs before the cache', () => {
    const ROSTER_COURSE = 'SECR201-2026-FALL';
    const roster = (token: string) =>
      send({
        app: 'enrollments',
        method: 'GET',
        path: `/api/courses/${ROSTER_COURSE}/enrollments`,
        headers: bearer(token),
      });

    beforeAll(() => stack.putCourse(ROSTER_COURSE, { instructor_id: 'i1' }));

    it('a former instructor is refused the roster they had cached, and the new one may read it', async () => {
      expect((await roster(instructor)).headers['x-cache']).toBe('MISS');
      expect((await roster(instructor)).headers['x-cache']).toBe('HIT');
      const adminFirst = await roster(admin);
      expect(adminFirst.status).toBe(200);
      expect((await roster(admin)).headers['x-cache']).toBe('HIT');

      const reassign = await json({
        app: 'courses',
        method: 'PATCH',
        path: `/api/courses/${ROSTER_COURSE}`,
        headers: bearer(admin),
        body: { instructor_id: 'i2' },
      });
      expect(reassign.status).toBe(200);

      for (let i = 0; i < 2; i++)
        expectError(await roster(instructor), 403, 'NOT_COURSE_INSTRUCTOR');
      expect((await roster(otherInstructor)).status).toBe(200);
      // The reassignment bumped the roster's tag: even the admin's entry is rebuilt.
      expect((await roster(admin)).headers['x-cache']).toBe('MISS');
    });

    it('an instructor who does not teach the course is refused before any cache lookup, also for a missing course', async () => {
      expectError(await roster(instructor), 403, 'NOT_COURSE_INSTRUCTOR');
      const missing = await send({
        app: 'enrollments',
        method: 'GET',
        path: '/api/courses/NOPE1-2026-FALL/enrollments',
        headers: bearer(instructor),
      });
      expectError(missing, 404, 'COURSE_NOT_FOUND');
      expect(missing.headers['x-cache']).toBeUndefined();
    });
  });

  describe('3. reads never create Redis keys without a TTL; rejected and missing reads create none', () => {
    it('an invalid id is refused before the cache and writes nothing', async () => {
      const before = await cacheKeys();
      const res = await send({ app: 'courses', method: 'GET', path: '/api/courses/RPTAG%20x' });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.headers['x-cache']).toBeUndefined();
      expect(added(before, await cacheKeys())).toEqual([]);
    });

    it('1,000 anonymous reads of unknown ids add no cache key at all', async () => {
      const before = await cacheKeys();
      for (let i = 0; i < 1000; i += 50) {
        const batch = Array.from({ length: 50 }, (_, j) =>
          send({ app: 'courses', method: 'GET', path: `/api/courses/RPTAG-${i + j}` }),
        );
        for (const res of await Promise.all(batch)) expectError(res, 404, 'COURSE_NOT_FOUND');
      }
      expect(added(before, await cacheKeys())).toEqual([]);
    });

    it('every key the cache does write (entries and tag versions) expires', async () => {
      await send({ app: 'courses', method: 'GET', path: `/api/courses/${COURSE}` });
      await json({
        app: 'courses',
        method: 'PATCH',
        path: `/api/courses/${COURSE}`,
        headers: bearer(admin),
        body: { credits: 4 },
      });
      await send({ app: 'courses', method: 'GET', path: `/api/courses/${COURSE}` });
      const keys = await cacheKeys();
      expect(keys.some((k) => k.includes(':tag:'))).toBe(true);
      expect(keys.some((k) => k.includes(':e:'))).toBe(true);
      const counters = await redis.keys(`${stack.env.CACHE_PREFIX}:rl:*`);
      expect(counters.length).toBeGreaterThan(0); // the per-address read counter
      const ttls = await Promise.all([...keys, ...counters].map((k) => redis.pttl(k)));
      expect(ttls.filter((t) => t <= 0)).toEqual([]);
    });
  });

  describe('4. cache keys come only from declared, validated fields', () => {
    it('refuses unknown query parameters with 400 instead of missing the cache', async () => {
      const detail = await send({
        app: 'courses',
        method: 'GET',
        path: `/api/courses/${COURSE}?nc=${Math.random()}`,
      });
      expectError(detail, 400, 'VALIDATION_FAILED');
      expect((detail.json as { message: string }).message).toContain('nc');
      const list = await send({
        app: 'courses',
        method: 'GET',
        path: '/api/courses?semester_id=2026-FALL&nc=1',
      });
      expectError(list, 400, 'VALIDATION_FAILED');
      const mine = await send({
        app: 'enrollments',
        method: 'GET',
        path: '/api/enrollments/me?nc=1',
        headers: bearer(student),
      });
      expectError(mine, 400, 'VALIDATION_FAILED');
    });

    it('keys on the validated query: a default spelled out is the same entry', async () => {
      const first = await send({
        app: 'courses',
        method: 'GET',
        path: '/api/courses?semester_id=2026-FALL&department_id=CS',
      });
      expect(first.status).toBe(200);
      const spelled = await send({
        app: 'courses',
        method: 'GET',
        path: '/api/courses?department_id=CS&limit=20&semester_id=2026-FALL',
      });
      expect(spelled.headers['x-cache']).toBe('HIT');
    });
  });

  describe('5. null is refused for every field that is not nullable', () => {
    it.each([
      ['capacity', admin],
      ['instructor_id', admin],
      ['title', instructor],
      ['credits', instructor],
      ['description', instructor],
    ])('PATCH {"%s": null} → 400 and nothing stored', async (field) => {
      const token = field === 'instructor_id' || field === 'capacity' ? admin : instructor;
      const before = await storedCourse(COURSE);
      const res = await json({
        app: 'courses',
        method: 'PATCH',
        path: `/api/courses/${COURSE}`,
        headers: bearer(token),
        body: { [field]: null },
      });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect((res.json as { message: string }).message).toContain(field);
      expect(await storedCourse(COURSE)).toEqual(before);
    });

    it('POST /api/courses with "description": null → 400 and no course', async () => {
      const res = await json({
        app: 'courses',
        method: 'POST',
        path: '/api/courses',
        headers: bearer(admin),
        body: {
          course_id: 'NULL101-2026-FALL',
          course_code: 'NULL101',
          title: 'Nulls',
          description: null,
          semester_id: '2026-FALL',
          department_id: 'CS',
          instructor_id: 'i1',
          capacity: 10,
          credits: 3,
        },
      });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(await storedCourse('NULL101-2026-FALL')).toBeUndefined();
    });
  });

  describe('6. cursor scopes are unambiguous, and a cursor never causes a 5xx', () => {
    beforeAll(async () => {
      // Two queries whose ":"-joined scopes were the same text: RPC:A + B, and RPC + A:B.
      for (const n of [1, 2]) {
        await stack.putCourse(`RPCA${n}-X`, {
          semester_id: 'RPC:A',
          department_id: 'B',
          course_code: `RPCA${n}`,
        });
        await stack.putCourse(`RPCB${n}-X`, {
          semester_id: 'RPC',
          department_id: 'A:B',
          course_code: `RPCB${n}`,
        });
      }
    });

    it('a cursor replayed on the other query is 400 INVALID_CURSOR', async () => {
      const first = await send({
        app: 'courses',
        method: 'GET',
        path: '/api/courses?semester_id=RPC:A&department_id=B&limit=1',
      });
      const cursor = (first.json as { next_cursor: string }).next_cursor;
      expect(cursor).toEqual(expect.any(String));
      const replay = await send({
        app: 'courses',
        method: 'GET',
        path: `/api/courses?semester_id=RPC&department_id=A:B&limit=1&cursor=${encodeURIComponent(cursor)}`,
      });
      expectError(replay, 400, 'INVALID_CURSOR');
    });

    it('a validly signed start key that does not fit the index is 400 INVALID_CURSOR, not a DynamoDB 500', async () => {
      const codec = new CursorCodec({ cursorSecret: stack.env.CURSOR_SECRET });
      const unfit = codec.encode(
        { course_id: 'RPCB1-X', semester_id: 'RPC', dept_code: 'Z#nothing' },
        ['courses-by-semester', 'RPC', 'A:B'],
      );
      const res = await send({
        app: 'courses',
        method: 'GET',
        path: `/api/courses?semester_id=RPC&department_id=A:B&cursor=${encodeURIComponent(unfit!)}`,
      });
      expectError(res, 400, 'INVALID_CURSOR');
    });
  });

  describe('7. the token guard validates sub and requires exp', () => {
    const signed = (claims: Record<string, unknown>, withExp = true) => {
      const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
      return (withExp ? jwt.setExpirationTime('1h') : jwt).sign(
        new TextEncoder().encode(TEST_JWT_SECRET),
      );
    };

    it('a signed token with a 2 KB sub is 401 INVALID_TOKEN on enroll, drop and profile', async () => {
      const token = await signed({ sub: 'u'.repeat(2100), role: 'student' });
      const calls: RawRequest[] = [
        {
          app: 'enrollments',
          method: 'POST',
          path: '/api/enrollments',
          headers: bearer(token),
          body: JSON.stringify({ course_id: COURSE }),
        },
        {
          app: 'enrollments',
          method: 'DELETE',
          path: `/api/enrollments/${COURSE}`,
          headers: bearer(token),
        },
        { app: 'enrollments', method: 'GET', path: '/api/auth/me', headers: bearer(token) },
      ];
      for (const call of calls) expectError(await send(call), 401, 'INVALID_TOKEN');
    });

    it('a token without exp is 401 INVALID_TOKEN', async () => {
      const token = await signed({ sub: 's1', role: 'student' }, false);
      expectError(
        await send({
          app: 'enrollments',
          method: 'GET',
          path: '/api/auth/me',
          headers: bearer(token),
        }),
        401,
        'INVALID_TOKEN',
      );
    });
  });

  describe('8. built-in names are unknown fields', () => {
    it.each(['prototype', '__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'])(
      'a body with "%s" is 400 and enrolls nobody',
      async (name) => {
        const res = await send({
          app: 'enrollments',
          method: 'POST',
          path: '/api/enrollments',
          headers: bearer(student),
          // Raw text: JSON.stringify of an object literal would not keep a "__proto__" key.
          body: `{"course_id":"${COURSE}","${name}":1}`,
        });
        expectError(res, 400, 'VALIDATION_FAILED');
        expect((res.json as { message: string }).message).toContain(name);
        expect((await storedCourse(COURSE))?.enrolled_count).toBe(0);
      },
    );

    it.each(['toString', '__proto__', 'constructor'])('a query with "%s" is 400', async (name) => {
      const res = await send({
        app: 'courses',
        method: 'GET',
        path: `/api/courses?semester_id=2026-FALL&${name}=1`,
      });
      expectError(res, 400, 'VALIDATION_FAILED');
    });
  });

  describe('9. a concurrent retry with the same Idempotency-Key gets the replay', () => {
    const IDEM_COURSE = 'IDEM101-2026-FALL';
    beforeAll(() => stack.putCourse(IDEM_COURSE, { capacity: 5 }));

    it('50 concurrent requests with one key: one enrollment, and every answer is its 201', async () => {
      const token = await tokenFor({
        sub: 'idem-student',
        role: 'student',
        email: 'idem@example.edu',
      });
      const responses = await Promise.all(
        Array.from({ length: 50 }, () =>
          json({
            app: 'enrollments',
            method: 'POST',
            path: '/api/enrollments',
            headers: { ...bearer(token), 'idempotency-key': 'same-key-for-all-50' },
            body: { course_id: IDEM_COURSE },
          }),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
      for (const r of responses) expect(r.json).toEqual(responses[0].json);
      expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(49);
      expect((await storedCourse(IDEM_COURSE))?.enrolled_count).toBe(1);
      const rows = await doc.send(
        new QueryCommand({
          TableName: tables.enrollments,
          IndexName: GSI.enrollmentsByCourse,
          KeyConditionExpression: 'course_id = :c',
          ExpressionAttributeValues: { ':c': IDEM_COURSE },
        }),
      );
      expect(rows.Count).toBe(1);
    });
  });

  describe('10. per-user and authenticated responses are private', () => {
    it('carry Cache-Control: private, no-store on misses, hits and errors', async () => {
      await stack.putCourse('PRIV101-2026-FALL');
      for (let i = 0; i < 2; i++) {
        const mine = await send({
          app: 'enrollments',
          method: 'GET',
          path: '/api/enrollments/me',
          headers: bearer(student),
        });
        expect([mine.status, mine.headers['cache-control']]).toEqual([200, 'private, no-store']);
      }
      const profile = await send({
        app: 'enrollments',
        method: 'GET',
        path: '/api/auth/me',
        headers: bearer(student),
      });
      expect([profile.status, profile.headers['cache-control']]).toEqual([
        404,
        'private, no-store',
      ]);
      const roster = await send({
        app: 'enrollments',
        method: 'GET',
        path: '/api/courses/PRIV101-2026-FALL/enrollments',
        headers: bearer(admin),
      });
      expect([roster.status, roster.headers['cache-control']]).toEqual([200, 'private, no-store']);
    });

    it('leaves anonymous catalog reads to shared caches', async () => {
      const list = await send({
        app: 'courses',
        method: 'GET',
        path: '/api/courses?semester_id=2026-FALL',
      });
      expect(list.status).toBe(200);
      expect(list.headers['cache-control'] ?? '').not.toContain('private');
    });
  });
});
