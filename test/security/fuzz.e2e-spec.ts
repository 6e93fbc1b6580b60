// Seeded fuzzing of every endpoint of the three apps with requests that must all be rejected:
// malformed, deep and oversize bodies, unknown and ill-typed fields, hostile query and path
// parameters, forged cursors and tokens, unknown routes. Each rejection must be a 4xx with the
// API's error body and the documented code; none may create a Redis key or change stored data.
//
// Reproduce a failure with the seed printed at the start (and in fast-check's report):
//   FUZZ_SEED=<seed> npx jest --selectProjects e2e --testPathPatterns test/security/fuzz
// (--selectProjects takes every following word as a project name: without --testPathPatterns
// the path is swallowed and every e2e suite runs).
// FUZZ_RUNS sets the runs per property (default: enough for 5,000+ requests in all).
import fc from 'fast-check';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { Redis } from 'ioredis';
import { RedisServerHandle, startRedisServer } from '@app/local-stack';
import { eventually, testStack, tokenFor } from '@app/testing';
import { AppName, mappedRoutes, RawResponse, startThreeApps } from '../three-apps';
import { forgeTokens } from './forged-tokens';
import {
  badBodyValue,
  badCursor,
  badPathParam,
  badQueryValue,
  badToken,
  Case,
  casesOf,
  chaosCases,
  CursorSlot,
  deepBody,
  Family,
  Fixtures,
  malformedBody,
  oversizeBody,
  unknownBodyField,
  unknownQueryParam,
  unknownRoute,
} from './fuzz-defects';
import {
  cacheControlProblems,
  CacheKeyWatch,
  describeResponse,
  rejectionProblems,
  snapshotTables,
} from './fuzz-checks';
import { CALLERS, CallerName, Draft, IDS, pct, render, Role, Route, ROUTES } from './fuzz-routes';

const DEFAULT_SEED = 20261201;
const DEFAULT_RUNS_PER_PROPERTY = 400;
const MIN_REQUESTS = 5000;

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${raw}`);
  return value;
}

const seed = intFromEnv('FUZZ_SEED', DEFAULT_SEED);
const runsPerProperty = intFromEnv('FUZZ_RUNS', DEFAULT_RUNS_PER_PROPERTY);

// Generous per test: a property is a few hundred sequential requests of a few ms each, but
// shrinking a counterexample replays requests too.
jest.setTimeout(60_000);

const FAMILIES: Array<[string, Family]> = [
  ['malformed JSON → 400 MALFORMED_JSON, other charsets and encodings → 415', malformedBody],
  ['JSON nested deeper than 10 levels → 400 VALIDATION_FAILED naming the limit', deepBody],
  ['bodies over 100kb → 413 PAYLOAD_TOO_LARGE', oversizeBody],
  ['unknown, built-in and server-managed body fields → 400 VALIDATION_FAILED', unknownBodyField],
  ['wrong types, nulls and out-of-range values in the body → 400 VALIDATION_FAILED', badBodyValue],
  ['unknown query parameters on any route → 400 VALIDATION_FAILED', unknownQueryParam],
  ['bad, repeated, oversize and missing query values → 400 VALIDATION_FAILED', badQueryValue],
  ['bad path parameters → 400 VALIDATION_FAILED', badPathParam],
  ['forged, tampered and cross-scope cursors → 400 INVALID_CURSOR', badCursor],
  ['token problems → 401, a role the route does not admit → 403 FORBIDDEN_ROLE', badToken],
  ['unknown routes and methods → 404 NOT_FOUND', unknownRoute],
];
/** The family properties, the Cache-Control property and the chaos property. */
const PROPERTY_COUNT = FAMILIES.length + 2;

const slot = (
  scope: string,
  routeName: string,
  params: Record<string, string>,
  query: Record<string, string>,
  caller?: CallerName,
): Omit<CursorSlot, 'cursor'> => ({ scope, route: route(routeName), params, query, caller });

const COURSES = 'GET /api/courses';
const BY_INSTRUCTOR = 'GET /api/instructors/:instructor_id/courses';
const MINE = 'GET /api/enrollments/me';
const ROSTER = 'GET /api/courses/:course_id/enrollments';
const MY_HISTORY = 'GET /api/enrollments/me/history';
const COURSE_HISTORY = 'GET /api/courses/:course_id/history';
const USER_HISTORY = 'GET /api/users/:user_id/history';

/** Pages the suite fetches a real next_cursor for (each query matches at least two seeded rows). */
// prettier-ignore
const CURSOR_SLOTS = [
  slot('courses of 2026-FALL', COURSES, {}, { semester_id: '2026-FALL' }),
  slot('courses of 2026-FALL in CS', COURSES, {}, { semester_id: '2026-FALL', department_id: 'CS' }),
  slot('courses of 2027-SPRING', COURSES, {}, { semester_id: '2027-SPRING' }),
  // The next two pairs differ only in where a ":" sits: a scope built by joining ids with ":" confuses them.
  slot('courses of semester RPC:A in B', COURSES, {}, { semester_id: 'RPC:A', department_id: 'B' }),
  slot('courses of semester RPC in A:B', COURSES, {}, { semester_id: 'RPC', department_id: 'A:B' }),
  slot('courses of instructor RPC:A in B', BY_INSTRUCTOR, { instructor_id: 'RPC:A' }, { semester_id: 'B' }),
  slot('courses of instructor RPC in A:B', BY_INSTRUCTOR, { instructor_id: 'RPC' }, { semester_id: 'A:B' }),
  slot('courses of instructor i1', BY_INSTRUCTOR, { instructor_id: 'i1' }, {}),
  slot('courses of instructor i1 in 2026-FALL', BY_INSTRUCTOR, { instructor_id: 'i1' }, { semester_id: '2026-FALL' }),
  slot('enrollments of u1', MINE, {}, {}, 'student'),
  slot('enrollments of u1 in 2026-FALL', MINE, {}, { semester_id: '2026-FALL' }, 'student'),
  slot('enrollments of u2', MINE, {}, {}, 'student2'),
  slot(`roster of ${IDS.course}`, ROSTER, { course_id: IDS.course }, {}, 'instructor'),
  slot(`roster of ${IDS.otherCourse}`, ROSTER, { course_id: IDS.otherCourse }, {}, 'instructor'),
  // A student's own history and an admin's view of it are one query (one cursor scope): the admin
  // slot reads u2, so every pair of slots differs.
  slot('history of u1', MY_HISTORY, {}, {}, 'student'),
  slot('history of u2 (admin)', USER_HISTORY, { user_id: 'u2' }, {}, 'admin'),
  slot(`history of ${IDS.course}`, COURSE_HISTORY, { course_id: IDS.course }, {}, 'instructor'),
];

function route(name: string): Route {
  const found = ROUTES.find((r) => r.name === name);
  if (!found) throw new Error(`no route ${name}`);
  return found;
}

describe('hostile requests to the three apps (seeded fuzzing through DynamoDB Local and Redis)', () => {
  let redisServer: RedisServerHandle;
  let redis: Redis;
  let stack: ReturnType<typeof testStack>;
  let apps: Awaited<ReturnType<typeof startThreeApps>>;
  let keyWatch: CacheKeyWatch;
  let fx: Fixtures;
  let seeded: Record<string, string[]>;
  let beforeProperty: Record<string, string[]>;
  let hostileRequests = 0;
  let failedProperties = 0;

  const auth = (caller: CallerName | undefined): Record<string, string> =>
    caller ? { authorization: `Bearer ${fx.tokens[caller]}` } : {};

  async function seedData(): Promise<void> {
    const course = stack.putCourse;
    const fall = { semester_id: '2026-FALL', department_id: 'CS', instructor_id: 'i1' };
    await Promise.all([
      course(IDS.course, { ...fall, enrolled_count: 2 }),
      course(IDS.otherCourse, { ...fall, enrolled_count: 2 }),
      course(IDS.notEnrolledCourse, fall),
      course('MATH101-2026-FALL', { ...fall, department_id: 'MATH', instructor_id: 'i2' }),
      course(IDS.fullCourse, { ...fall, instructor_id: 'i2', capacity: 1, enrolled_count: 1 }),
      course('CS101-2027-SPRING', { ...fall, semester_id: '2027-SPRING' }),
      course('CS102-2027-SPRING', { ...fall, semester_id: '2027-SPRING' }),
      course('RPC1-A', { semester_id: 'RPC:A', department_id: 'B', instructor_id: 'i3' }),
      course('RPC2-A', { semester_id: 'RPC:A', department_id: 'B', instructor_id: 'i3' }),
      course('RPC3-A', { semester_id: 'RPC', department_id: 'A:B', instructor_id: 'i3' }),
      course('RPC4-A', { semester_id: 'RPC', department_id: 'A:B', instructor_id: 'i3' }),
      course('IRPC1-B', { semester_id: 'B', department_id: 'X', instructor_id: 'RPC:A' }),
      course('IRPC2-B', { semester_id: 'B', department_id: 'X', instructor_id: 'RPC:A' }),
      course('IRPC3-AB', { semester_id: 'A:B', department_id: 'X', instructor_id: 'RPC' }),
      course('IRPC4-AB', { semester_id: 'A:B', department_id: 'X', instructor_id: 'RPC' }),
    ]);
    const put = (TableName: string, Item: Record<string, unknown>) =>
      stack.doc.send(new PutCommand({ TableName, Item }));
    let minute = 0;
    for (const user of ['u1', 'u2']) {
      for (const courseId of [IDS.course, IDS.otherCourse]) {
        const enrolledAt = new Date(Date.UTC(2026, 7, 1, 9, minute++)).toISOString();
        await put(stack.tables.enrollments, {
          enrollment_id: `${user}#${courseId}`,
          user_id: user,
          course_id: courseId,
          semester_id: '2026-FALL',
          enrolled_at: enrolledAt,
        });
        // Its history entry, as the enroll transaction writes it (ULIDs of increasing time, the
        // course index's key).
        await put(stack.tables.history, {
          event_id: `01J${String(minute).padStart(23, '0')}`,
          type: 'enrolled',
          actor: user,
          at: enrolledAt,
          user_id: user,
          course_id: courseId,
          change_course_id: courseId,
          semester_id: '2026-FALL',
        });
      }
    }
    await put(stack.tables.terms, {
      pk: 'TERM', // TermsRepository's one partition
      term_id: IDS.semester,
      name: 'Fall 2026',
      registration_opens_at: '2026-01-01T00:00:00Z',
      add_deadline: '2099-09-10T23:59:59Z',
      drop_deadline: '2099-09-20T23:59:59Z',
      withdraw_deadline: '2099-11-01T23:59:59Z',
      max_credits: 18,
      waitlist_mode: 'auto',
      offer_hold_minutes: 1440,
      updated_at: '2026-01-01T00:00:00Z',
    });
    await stack.putUser(IDS.fuzzRecord, { role: 'student', max_credits: 12 });
    for (const [name, { sub, role }] of Object.entries(CALLERS)) {
      await stack.putUser(sub, {
        email: `${sub}@example.edu`,
        name,
        role,
        created_at: '2026-08-01T00:00:00.000Z',
      });
    }
  }

  /** Sends a valid request of the setup; returns whether the cache will store its response. */
  async function warm(
    app: AppName,
    path: string,
    caller: CallerName | undefined,
  ): Promise<{ res: RawResponse; miss: boolean }> {
    const res = await apps.send({ app, method: 'GET', path, headers: auth(caller) });
    if (res.status !== 200)
      throw new Error(`setup: ${app} GET ${path} answered ${describeResponse(res)}`);
    return { res, miss: res.headers['x-cache'] === 'MISS' };
  }

  const pathOf = (r: Route, params: Record<string, string>, query: Record<string, string>) => {
    const path = r.template.replace(/:(\w+)/g, (_, n: string) => pct(params[n]));
    const q = Object.entries(query)
      .map(([k, v]) => `${k}=${pct(v)}`)
      .join('&');
    return q ? `${path}?${q}` : path;
  };

  /**
   * Sends every GET route's harmless base request and each cursor slot's first page (one item,
   * for its next_cursor). Whatever the cache keeps for the ids they name then exists before the
   * baseline, so a key that appears later is the doing of the rejected request that preceded it.
   * Returns how many responses the cache stores.
   */
  async function warmUp(): Promise<number> {
    let misses = 0;
    for (const slot of CURSOR_SLOTS) {
      const query = { ...slot.query, limit: '1' };
      const { res, miss } = await warm(
        slot.route.apps[0],
        pathOf(slot.route, slot.params, query),
        slot.caller,
      );
      const cursor = (res.json as { next_cursor?: unknown }).next_cursor;
      if (typeof cursor !== 'string')
        throw new Error(`setup: no next_cursor for ${slot.scope}: ${describeResponse(res)}`);
      fx.cursorSlots.push({ ...slot, query, cursor });
      misses += miss ? 1 : 0;
    }
    for (const r of ROUTES.filter((x) => x.method === 'GET')) {
      for (const app of r.apps)
        misses += (await warm(app, pathOf(r, r.params, r.query), r.caller)).miss ? 1 : 0;
    }
    return misses;
  }

  /** Deletes the warm-up's cached responses once they have all landed (their writes are fire-and-forget), keeping the tag counters. */
  async function dropCachedEntries(expected: number): Promise<void> {
    const entries = async () =>
      [...(await keyWatch.keys())].filter((k) => k.startsWith(`${stack.env.CACHE_PREFIX}:e:`));
    await eventually(async () => (await entries()).length >= expected, 10_000);
    const found = await entries();
    if (found.length < expected)
      throw new Error(`setup: ${found.length} of ${expected} warm-up responses were cached`);
    await redis.unlink(...found);
  }

  beforeAll(async () => {
    console.log(
      `fuzz seed ${seed} (reproduce: FUZZ_SEED=${seed}), ${runsPerProperty} runs per property`,
    );
    redisServer = await startRedisServer();
    stack = testStack('fuzz', { REDIS_URL: redisServer.url });
    redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
    keyWatch = new CacheKeyWatch(redis, stack.env.CACHE_PREFIX);
    await stack.migrate();
    await seedData();
    apps = await startThreeApps();

    const tokens = Object.fromEntries(
      await Promise.all(
        Object.entries(CALLERS).map(async ([name, c]) => [name, await tokenFor(c)]),
      ),
    ) as Record<CallerName, string>;
    const forged = {} as Fixtures['forged'];
    for (const name of ['admin', 'instructor', 'student'] as const) {
      forged[CALLERS[name].role as Role] = await forgeTokens(CALLERS[name], tokens[name]);
    }
    fx = { tokens, forged, cursorSlots: [] };

    await dropCachedEntries(await warmUp());
    const baseline = await keyWatch.takeBaseline();
    if (baseline.size === 0) throw new Error('setup: the warm-up left no tag counters in Redis');
    seeded = await snapshotTables(stack.doc, { ...stack.tables });
  }, 90_000);

  afterAll(async () => {
    await apps?.close();
    await stack?.drop();
    redis?.disconnect();
    await redisServer?.stop();
  });

  beforeEach(async () => {
    beforeProperty = await snapshotTables(stack.doc, { ...stack.tables });
  });

  afterEach(async () => {
    // Attributes a change of stored data to the property whose requests made it.
    expect(await snapshotTables(stack.doc, { ...stack.tables })).toEqual(beforeProperty);
  });

  /**
   * Sends each generated case, one at a time, and fails with every problem of the first bad
   * response; fast-check then shrinks it and reports the seed and path that replay it.
   */
  async function assertRejected(
    cases: fc.Arbitrary<Case>,
    check: (c: Case, res: RawResponse) => string[],
  ): Promise<void> {
    const property = fc.asyncProperty(cases, async (c) => {
      hostileRequests += 1;
      const res = await apps.send(render(c.draft));
      const problems = [...check(c, res), ...(await keyWatch.problems())];
      if (problems.length > 0) {
        throw new Error(`${problems.join('\n')}\nresponse: ${describeResponse(res)}`);
      }
    });
    try {
      await fc.assert(property, { seed, numRuns: runsPerProperty });
    } catch (err) {
      failedProperties += 1;
      throw err;
    }
  }

  for (const [title, family] of FAMILIES) {
    it(title, () =>
      assertRejected(casesOf(family, fx), (c, res) =>
        rejectionProblems(c, res, { expectation: true }),
      ),
    );
  }

  it('fuzzes every route Nest maps in the three apps (a new endpoint needs its ROUTES entry)', () => {
    const key = (app: AppName, method: string, path: string) =>
      `${app} ${method.toUpperCase()} ${path}`;
    const fuzzed = new Set(
      ROUTES.flatMap((r) => r.apps.map((app) => key(app, r.method, r.template))),
    );
    const mapped = (['courses', 'enrollments', 'notifications'] as AppName[]).flatMap((app) =>
      mappedRoutes(apps.apps[app]).map(({ method, path }) => key(app, method, path)),
    );
    expect(mapped.length).toBeGreaterThan(0);
    expect(mapped.filter((r) => !fuzzed.has(r)).sort()).toEqual([]);
  });

  it('rejections of requests that carry a token have Cache-Control: private, no-store', () => {
    // Public routes get a valid token so every family takes part; "no token" cases drop out.
    const signIn = (d: Draft): Draft =>
      d.headers.authorization !== undefined || d.route.access !== 'public'
        ? d
        : {
            ...d,
            headers: { ...d.headers, authorization: `Bearer ${fx.tokens.student}` },
            auth: 'valid student token',
          };
    const cases = fc
      .oneof(...FAMILIES.map(([, family]) => casesOf(family, fx, signIn)))
      .filter((c) => c.draft.headers.authorization !== undefined);
    return assertRejected(cases, (c, res) => [
      ...cacheControlProblems(res),
      ...rejectionProblems(c, res, { expectation: false }),
    ]);
  });

  it('requests with several defects at once are still rejected with a well-formed 4xx', () =>
    assertRejected(
      chaosCases(
        FAMILIES.map(([, f]) => f),
        fx,
      ),
      (c, res) => rejectionProblems(c, res, { expectation: false }),
    ));

  it(`sent at least ${MIN_REQUESTS} hostile requests and left the seeded data as it was`, async () => {
    // A smaller FUZZ_RUNS is a quick local run: it must still send every request it planned.
    const required = process.env.FUZZ_RUNS ? PROPERTY_COUNT * runsPerProperty : MIN_REQUESTS;
    expect(PROPERTY_COUNT * DEFAULT_RUNS_PER_PROPERTY).toBeGreaterThanOrEqual(MIN_REQUESTS);
    if (hostileRequests < required) {
      const why =
        failedProperties > 0
          ? ` (${failedProperties} properties stopped at their first counterexample)`
          : '';
      throw new Error(`${hostileRequests} hostile requests sent, ${required} required${why}`);
    }
    expect(await snapshotTables(stack.doc, { ...stack.tables })).toEqual(seeded);
    expect(await keyWatch.problems()).toEqual([]);
  });
});
