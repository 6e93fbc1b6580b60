// Authorization matrix: every endpoint of the three apps × every kind of caller.
//
//   42 rows × 7 principals = 294 cells, one test each, plus cross-user isolation of the per-user
//   routes and a final check that every route Nest maps appears in the matrix.
//
// Each cell sends its request twice in a row and expects the same answer both times (or the pair
// its row declares, e.g. 201 then 409 for a second enroll): the second read may come from the
// Redis response cache (X-Cache: HIT), and a cached answer must never outlive the authorization
// that produced it. Every 401/403 cell also checks the error `code`, and every response to a
// request with a token (every column but anonymous) must carry `Cache-Control: private, no-store`.
//
// "The section" is a course first taught by the former instructor, who read its roster (so that
// 200 is in the cache) before an admin reassigned it to the current instructor with
// PATCH {instructor_id}. Rows that change state (create, update, delete, enroll, drop) get a fresh
// course per cell, so each cell's two calls mean what the row says they mean.
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AuthUser } from '@app/auth';
import { eventually, testStack, tokenFor } from '@app/testing';
import { AppName, mappedRoutes, RawResponse, startThreeApps } from '../three-apps';

const stack = testStack('authz_matrix');

const SEMESTER = '2026-FALL';
const SECTION = `SEC1-${SEMESTER}`;
const ISOLATION_A = `ISOA-${SEMESTER}`;
const ISOLATION_B = `ISOB-${SEMESTER}`;
const NEW_INSTRUCTOR = 'instructor-new';
/** A student record only the registrar rows touch (a hold on student A would refuse its enrolls). */
const RECORD_TARGET = 'record-target';

// ---------------------------------------------------------------------------------------------
// Principals, in the column order of the matrix.

const PRINCIPALS = [
  { key: 'anonymous', label: 'anonymous' },
  {
    key: 'studentA',
    label: 'student A',
    user: { sub: 'student-a', role: 'student', email: 'student-a@example.edu' },
  },
  {
    key: 'studentB',
    label: 'student B',
    user: { sub: 'student-b', role: 'student', email: 'student-b@example.edu' },
  },
  {
    key: 'instructor',
    label: 'instructor',
    user: { sub: 'instructor-current', role: 'instructor' },
  },
  {
    key: 'otherInstructor',
    label: 'other instructor',
    user: { sub: 'instructor-other', role: 'instructor' },
  },
  {
    key: 'formerInstructor',
    label: 'former instructor',
    user: { sub: 'instructor-former', role: 'instructor' },
  },
  { key: 'admin', label: 'admin', user: { sub: 'admin-1', role: 'admin' } },
] as const satisfies ReadonlyArray<{ key: string; label: string; user?: AuthUser }>;

type Principal = (typeof PRINCIPALS)[number];
type PrincipalKey = Principal['key'];
const principalOf = <K extends PrincipalKey>(key: K) =>
  PRINCIPALS.find((p) => p.key === key)! as Extract<Principal, { key: K }>;
const label = (user: AuthUser) =>
  PRINCIPALS.find((p) => 'user' in p && p.user.sub === user.sub)!.label;
const STUDENT_A = principalOf('studentA').user;
const STUDENT_B = principalOf('studentB').user;
const CURRENT_INSTRUCTOR = principalOf('instructor').user.sub;
const FORMER = principalOf('formerInstructor').user;
const FORMER_INSTRUCTOR = FORMER.sub;
const ADMIN = principalOf('admin').user;

// ---------------------------------------------------------------------------------------------
// Expected outcomes. A 401 or 403 always names its error code.

interface Outcome {
  status: number;
  code?: string;
}
/** One outcome for both calls, or [first call, second call] when the first changes state. */
type Expectation = Outcome | readonly [Outcome, Outcome];

function outcome(status: number, code?: string): Outcome {
  if ((status === 401 || status === 403) && code === undefined) {
    throw new Error(`a ${status} cell must name its error code`);
  }
  return { status, code };
}

const OK = outcome(200);
const UNAUTH = outcome(401, 'UNAUTHENTICATED');
const ROLE = outcome(403, 'FORBIDDEN_ROLE');
const NOT_OWNER = outcome(403, 'NOT_COURSE_INSTRUCTOR');
const FIELD = outcome(403, 'FORBIDDEN_FIELD');
const NO_PROFILE = outcome(404, 'USER_NOT_FOUND');
const CREATED_THEN_EXISTS = [outcome(201), outcome(409, 'COURSE_EXISTS')] as const;
const DELETED_THEN_GONE = [outcome(204), outcome(404, 'COURSE_NOT_FOUND')] as const;
const ENROLLED_THEN_ALREADY = [outcome(201), outcome(409, 'ALREADY_ENROLLED')] as const;
const DROPPED_THEN_NOT_ENROLLED = [outcome(204), outcome(404, 'NOT_ENROLLED')] as const;
const CREATED_THEN_REPLACED = [outcome(201), outcome(200)] as const;
const CREATED = outcome(201);
const LIFTED_THEN_GONE = [outcome(204), outcome(404, 'HOLD_NOT_FOUND')] as const;
const NOT_SELF = outcome(403, 'NOT_SELF');
const NO_OFFER = outcome(404, 'NO_OFFER');
const REVOKED_THEN_GONE = [outcome(204), outcome(404, 'PERMIT_NOT_FOUND')] as const;

type Row = readonly [
  Expectation,
  Expectation,
  Expectation,
  Expectation,
  Expectation,
  Expectation,
  Expectation,
];

// ---------------------------------------------------------------------------------------------
// The matrix: one row per endpoint, one expectation per principal. `X_THEN_Y` cells expect X from
// the first call and Y from the second (each such cell has its own course, see ENDPOINTS).

// prettier-ignore
const MATRIX = {
  //                                                 anonymous  student A              student B              instructor  other inst.  former inst.  admin
  'GET /api/courses?semester_id=':                  [OK,        OK,                    OK,                    OK,         OK,          OK,           OK],
  'GET /api/courses/:course_id':                    [OK,        OK,                    OK,                    OK,         OK,          OK,           OK],
  'GET /api/instructors/:instructor_id/courses':    [OK,        OK,                    OK,                    OK,         OK,          OK,           OK],
  'POST /api/courses':                              [UNAUTH,    ROLE,                  ROLE,                  ROLE,       ROLE,        ROLE,         CREATED_THEN_EXISTS],
  'PATCH /api/courses/:course_id {title}':          [UNAUTH,    ROLE,                  ROLE,                  OK,         NOT_OWNER,   NOT_OWNER,    OK],
  'PATCH /api/courses/:course_id {instructor_id}':  [UNAUTH,    ROLE,                  ROLE,                  FIELD,      NOT_OWNER,   NOT_OWNER,    OK],
  'DELETE /api/courses/:course_id':                 [UNAUTH,    ROLE,                  ROLE,                  ROLE,       ROLE,        ROLE,         DELETED_THEN_GONE],
  'POST /api/enrollments':                          [UNAUTH,    ENROLLED_THEN_ALREADY, ENROLLED_THEN_ALREADY, ROLE,       ROLE,        ROLE,         ROLE],
  'DELETE /api/enrollments/:course_id':             [UNAUTH,    DROPPED_THEN_NOT_ENROLLED, DROPPED_THEN_NOT_ENROLLED, ROLE, ROLE,    ROLE,         ROLE],
  'GET /api/enrollments/me':                        [UNAUTH,    OK,                    OK,                    ROLE,       ROLE,        ROLE,         ROLE],
  'POST /api/registrations/validate':               [UNAUTH,    OK,                    OK,                    ROLE,       ROLE,        ROLE,         ROLE],
  'POST /api/registrations':                        [UNAUTH,    ENROLLED_THEN_ALREADY, ENROLLED_THEN_ALREADY, ROLE,       ROLE,        ROLE,         ROLE],
  'GET /api/courses/:course_id/enrollments':        [UNAUTH,    ROLE,                  ROLE,                  OK,         NOT_OWNER,   NOT_OWNER,    OK],
  'GET /api/courses/:course_id/waitlist':           [UNAUTH,    ROLE,                  ROLE,                  OK,         NOT_OWNER,   NOT_OWNER,    OK],
  'POST /api/enrollments/:course_id/accept':       [UNAUTH,    NO_OFFER,              NO_OFFER,              ROLE,       ROLE,        ROLE,         ROLE],
  'GET /api/auth/me':                               [UNAUTH,    OK,                    OK,                    NO_PROFILE, NO_PROFILE,  NO_PROFILE,   NO_PROFILE],
  'GET /api/enrollments/me/history':                [UNAUTH,    OK,                    OK,                    ROLE,       ROLE,        ROLE,         ROLE],
  'GET /api/courses/:course_id/history':            [UNAUTH,    ROLE,                  ROLE,                  OK,         NOT_OWNER,   NOT_OWNER,    OK],
  'GET /api/users/:user_id/history':                [UNAUTH,    ROLE,                  ROLE,                  ROLE,       ROLE,        ROLE,         OK],
  'GET /api/terms':                                 [OK,        OK,                    OK,                    OK,         OK,          OK,           OK],
  'GET /api/terms/:term_id':                        [OK,        OK,                    OK,                    OK,         OK,          OK,           OK],
  'PUT /api/terms/:term_id':                        [UNAUTH,    ROLE,                  ROLE,                  ROLE,       ROLE,        ROLE,         CREATED_THEN_REPLACED],
  'PATCH /api/users/:user_id':                      [UNAUTH,    ROLE,                  ROLE,                  ROLE,       ROLE,        ROLE,         OK],
  'POST /api/users/:user_id/holds':                 [UNAUTH,    ROLE,                  ROLE,                  ROLE,       ROLE,        ROLE,         CREATED],
  'DELETE /api/users/:user_id/holds/:hold_id':      [UNAUTH,    ROLE,                  ROLE,                  ROLE,       ROLE,        ROLE,         LIFTED_THEN_GONE],
  'POST /api/permits':                              [UNAUTH,    ROLE,                  ROLE,                  CREATED,    NOT_OWNER,   NOT_OWNER,    CREATED],
  'GET /api/users/:user_id/permits':                [UNAUTH,    OK,                    NOT_SELF,              ROLE,       ROLE,        ROLE,         OK],
  'DELETE /api/permits/:permit_id':                 [UNAUTH,    ROLE,                  ROLE,                  REVOKED_THEN_GONE, NOT_OWNER, NOT_OWNER,  REVOKED_THEN_GONE],
  'GET /api/queues/email/failed':                   [UNAUTH,    ROLE,                  ROLE,                  ROLE,       ROLE,        ROLE,         OK],
  'GET /api/queues/email/counts':                   [UNAUTH,    ROLE,                  ROLE,                  ROLE,       ROLE,        ROLE,         OK],
  'GET /admin/queues':                              [UNAUTH,    ROLE,                  ROLE,                  ROLE,       ROLE,        ROLE,         OK],
  'GET /admin/queues/api/queues':                   [UNAUTH,    ROLE,                  ROLE,                  ROLE,       ROLE,        ROLE,         OK],
  'PUT /admin/queues/api/queues/email/retry/failed': [UNAUTH,   ROLE,                  ROLE,                  ROLE,       ROLE,        ROLE,         OK],
  'GET /health/live (courses)':                     [OK,        OK,                    OK,                    OK,         OK,          OK,           OK],
  'GET /health/ready (courses)':                    [OK,        OK,                    OK,                    OK,         OK,          OK,           OK],
  'GET /metrics (courses)':                         [OK,        OK,                    OK,                    OK,         OK,          OK,           OK],
  'GET /health/live (enrollments)':                 [OK,        OK,                    OK,                    OK,         OK,          OK,           OK],
  'GET /health/ready (enrollments)':                [OK,        OK,                    OK,                    OK,         OK,          OK,           OK],
  'GET /metrics (enrollments)':                     [OK,        OK,                    OK,                    OK,         OK,          OK,           OK],
  'GET /health/live (notifications)':               [OK,        OK,                    OK,                    OK,         OK,          OK,           OK],
  'GET /health/ready (notifications)':              [OK,        OK,                    OK,                    OK,         OK,          OK,           OK],
  'GET /metrics (notifications)':                   [OK,        OK,                    OK,                    OK,         OK,          OK,           OK],
} as const satisfies Record<string, Row>;

type RowName = keyof typeof MATRIX;

// ---------------------------------------------------------------------------------------------
// How each row is called. `route` is the path as Nest maps it (checked against the routers at the
// end); `fresh` rows get a course of their own per cell, arranged before the tests run.

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Cell {
  principal: Principal;
  /** The cell's own course for `fresh` rows, the section otherwise. */
  courseId: string;
}

interface Endpoint {
  app: AppName;
  method: Method;
  route: string;
  fresh?: { slug: string; arrange?: (cell: Cell) => Promise<void> };
  /** Served by Express middleware a module mounts (the queue dashboard), not a controller route. */
  mounted?: true;
  request: (cell: Cell) => { path: string; body?: unknown };
}

const health = (app: AppName, path: string): Endpoint => ({
  app,
  method: 'GET',
  route: path,
  request: () => ({ path }),
});

const dashboard = (method: Method, path: string): Endpoint => ({
  app: 'notifications',
  method,
  route: path,
  mounted: true,
  request: () => ({ path }),
});

const ENDPOINTS: Record<RowName, Endpoint> = {
  'GET /api/courses?semester_id=': {
    app: 'courses',
    method: 'GET',
    route: '/api/courses',
    request: () => ({ path: `/api/courses?semester_id=${SEMESTER}` }),
  },
  'GET /api/courses/:course_id': {
    app: 'courses',
    method: 'GET',
    route: '/api/courses/:course_id',
    request: ({ courseId }) => ({ path: `/api/courses/${courseId}` }),
  },
  'GET /api/instructors/:instructor_id/courses': {
    app: 'courses',
    method: 'GET',
    route: '/api/instructors/:instructor_id/courses',
    request: () => ({
      path: `/api/instructors/${CURRENT_INSTRUCTOR}/courses?semester_id=${SEMESTER}`,
    }),
  },
  'POST /api/courses': {
    app: 'courses',
    method: 'POST',
    route: '/api/courses',
    fresh: { slug: 'NEW' }, // an id nobody has used: the admin's first call creates it
    request: ({ courseId }) => ({ path: '/api/courses', body: newCourse(courseId) }),
  },
  'PATCH /api/courses/:course_id {title}': {
    app: 'courses',
    method: 'PATCH',
    route: '/api/courses/:course_id',
    fresh: { slug: 'TITLE', arrange: ({ courseId }) => arrangeSection(courseId) },
    request: ({ courseId, principal }) => ({
      path: `/api/courses/${courseId}`,
      body: { title: `Retitled by ${principal.label}` },
    }),
  },
  'PATCH /api/courses/:course_id {instructor_id}': {
    app: 'courses',
    method: 'PATCH',
    route: '/api/courses/:course_id',
    fresh: { slug: 'REASSIGN', arrange: ({ courseId }) => arrangeSection(courseId) },
    request: ({ courseId }) => ({
      path: `/api/courses/${courseId}`,
      body: { instructor_id: NEW_INSTRUCTOR },
    }),
  },
  'DELETE /api/courses/:course_id': {
    app: 'courses',
    method: 'DELETE',
    route: '/api/courses/:course_id',
    fresh: { slug: 'DEL', arrange: ({ courseId }) => arrangeSection(courseId) },
    request: ({ courseId }) => ({ path: `/api/courses/${courseId}` }),
  },
  'POST /api/enrollments': {
    app: 'enrollments',
    method: 'POST',
    route: '/api/enrollments',
    fresh: { slug: 'ENROLL', arrange: ({ courseId }) => stack.putCourse(courseId) },
    request: ({ courseId }) => ({ path: '/api/enrollments', body: { course_id: courseId } }),
  },
  'DELETE /api/enrollments/:course_id': {
    app: 'enrollments',
    method: 'DELETE',
    route: '/api/enrollments/:course_id',
    fresh: {
      slug: 'DROP',
      // A student cell starts enrolled, so its first drop succeeds and its second has nothing left to drop.
      arrange: async ({ courseId, principal }) => {
        await stack.putCourse(courseId);
        if ('user' in principal && principal.user.role === 'student')
          await enroll(principal.user, courseId);
      },
    },
    request: ({ courseId }) => ({ path: `/api/enrollments/${courseId}` }),
  },
  'POST /api/registrations': {
    app: 'enrollments',
    method: 'POST',
    route: '/api/registrations',
    fresh: { slug: 'CART', arrange: ({ courseId }) => stack.putCourse(courseId) },
    request: ({ courseId }) => ({ path: '/api/registrations', body: { add: [courseId] } }),
  },
  'POST /api/registrations/validate': {
    app: 'enrollments',
    method: 'POST',
    route: '/api/registrations/validate',
    request: ({ courseId }) => ({
      path: '/api/registrations/validate',
      body: { add: [courseId] },
    }),
  },
  'GET /api/enrollments/me': {
    app: 'enrollments',
    method: 'GET',
    route: '/api/enrollments/me',
    request: () => ({ path: '/api/enrollments/me' }),
  },
  'GET /api/courses/:course_id/enrollments': {
    app: 'enrollments',
    method: 'GET',
    route: '/api/courses/:course_id/enrollments',
    request: ({ courseId }) => ({ path: `/api/courses/${courseId}/enrollments` }),
  },
  'POST /api/enrollments/:course_id/accept': {
    app: 'enrollments',
    method: 'POST',
    route: '/api/enrollments/:course_id/accept',
    request: ({ courseId }) => ({ path: `/api/enrollments/${courseId}/accept` }),
  },
  'GET /api/courses/:course_id/waitlist': {
    app: 'enrollments',
    method: 'GET',
    route: '/api/courses/:course_id/waitlist',
    request: ({ courseId }) => ({ path: `/api/courses/${courseId}/waitlist` }),
  },
  'GET /api/auth/me': {
    app: 'enrollments',
    method: 'GET',
    route: '/api/auth/me',
    request: () => ({ path: '/api/auth/me' }),
  },
  'GET /api/enrollments/me/history': {
    app: 'enrollments',
    method: 'GET',
    route: '/api/enrollments/me/history',
    request: () => ({ path: '/api/enrollments/me/history' }),
  },
  // The section's history: the former instructor taught it and lost it, so NOT_COURSE_INSTRUCTOR.
  'GET /api/courses/:course_id/history': {
    app: 'enrollments',
    method: 'GET',
    route: '/api/courses/:course_id/history',
    request: ({ courseId }) => ({ path: `/api/courses/${courseId}/history` }),
  },
  'GET /api/users/:user_id/history': {
    app: 'enrollments',
    method: 'GET',
    route: '/api/users/:user_id/history',
    request: () => ({ path: `/api/users/${STUDENT_A.sub}/history` }),
  },
  'GET /api/terms': {
    app: 'courses',
    method: 'GET',
    route: '/api/terms',
    request: () => ({ path: '/api/terms' }),
  },
  'GET /api/terms/:term_id': {
    app: 'courses',
    method: 'GET',
    route: '/api/terms/:term_id',
    request: () => ({ path: `/api/terms/${SEMESTER}` }),
  },
  'PUT /api/terms/:term_id': {
    app: 'courses',
    method: 'PUT',
    route: '/api/terms/:term_id',
    fresh: { slug: 'TERM' }, // a term nobody has stored: the admin's first call creates it
    request: ({ courseId }) => ({ path: `/api/terms/${courseId}`, body: termCalendar() }),
  },
  'PATCH /api/users/:user_id': {
    app: 'enrollments',
    method: 'PATCH',
    route: '/api/users/:user_id',
    request: () => ({ path: `/api/users/${RECORD_TARGET}`, body: { max_credits: 12 } }),
  },
  'POST /api/users/:user_id/holds': {
    app: 'enrollments',
    method: 'POST',
    route: '/api/users/:user_id/holds',
    request: () => ({
      path: `/api/users/${RECORD_TARGET}/holds`,
      body: { code: 'MATRIX', reason: 'a hold on a student no other row uses' },
    }),
  },
  'DELETE /api/users/:user_id/holds/:hold_id': {
    app: 'enrollments',
    method: 'DELETE',
    route: '/api/users/:user_id/holds/:hold_id',
    // The cell's own student, holding one hold: the admin's first call lifts it.
    fresh: {
      slug: 'UNHOLD',
      arrange: ({ courseId }) =>
        stack.putUser(courseId, {
          holds: { 'h-1': { code: 'MATRIX', reason: 'r', created_at: '2026-01-01T00:00:00Z' } },
        }),
    },
    request: ({ courseId }) => ({ path: `/api/users/${courseId}/holds/h-1` }),
  },
  'POST /api/permits': {
    app: 'enrollments',
    method: 'POST',
    route: '/api/permits',
    // Re-issuing replaces the permit, so both calls of a permitted caller are 201.
    request: () => ({
      path: '/api/permits',
      body: { user_id: RECORD_TARGET, course_id: SECTION, type: 'CAPACITY' },
    }),
  },
  'GET /api/users/:user_id/permits': {
    app: 'enrollments',
    method: 'GET',
    route: '/api/users/:user_id/permits',
    request: () => ({ path: `/api/users/${STUDENT_A.sub}/permits` }),
  },
  'DELETE /api/permits/:permit_id': {
    app: 'enrollments',
    method: 'DELETE',
    route: '/api/permits/:permit_id',
    // The cell's own student, holding a permit for the section: a permitted first call revokes it.
    fresh: {
      slug: 'UNPERMIT',
      arrange: async ({ courseId }) => {
        await stack.putUser(courseId);
        await arranged(
          `a permit for ${courseId}`,
          call('enrollments', 'POST', '/api/permits', ADMIN, {
            user_id: courseId,
            course_id: SECTION,
            type: 'WINDOW',
          }),
          201,
        );
      },
    },
    request: ({ courseId }) => ({ path: `/api/permits/${courseId}~${SECTION}~WINDOW` }),
  },
  'GET /api/queues/email/failed': {
    app: 'notifications',
    method: 'GET',
    route: '/api/queues/email/failed',
    request: () => ({ path: '/api/queues/email/failed?limit=5' }),
  },
  'GET /api/queues/email/counts': {
    app: 'notifications',
    method: 'GET',
    route: '/api/queues/email/counts',
    request: () => ({ path: '/api/queues/email/counts' }),
  },
  'GET /admin/queues': dashboard('GET', '/admin/queues'),
  'GET /admin/queues/api/queues': dashboard('GET', '/admin/queues/api/queues'),
  // "Retry all" of the failed email jobs (none here): what the dashboard's button sends.
  'PUT /admin/queues/api/queues/email/retry/failed': dashboard(
    'PUT',
    '/admin/queues/api/queues/email/retry/failed',
  ),
  'GET /health/live (courses)': health('courses', '/health/live'),
  'GET /health/ready (courses)': health('courses', '/health/ready'),
  'GET /metrics (courses)': health('courses', '/metrics'),
  'GET /health/live (enrollments)': health('enrollments', '/health/live'),
  'GET /health/ready (enrollments)': health('enrollments', '/health/ready'),
  'GET /metrics (enrollments)': health('enrollments', '/metrics'),
  'GET /health/live (notifications)': health('notifications', '/health/live'),
  'GET /health/ready (notifications)': health('notifications', '/health/ready'),
  'GET /metrics (notifications)': health('notifications', '/metrics'),
};

const ROWS = Object.keys(MATRIX) as RowName[];
const cellOf = (row: RowName, p: Principal): Cell => {
  const fresh = ENDPOINTS[row].fresh;
  const courseId = fresh ? `${fresh.slug}${PRINCIPALS.indexOf(p)}-${SEMESTER}` : SECTION;
  return { principal: p, courseId };
};

// ---------------------------------------------------------------------------------------------
// The running system and its fixtures.

let send: Awaited<ReturnType<typeof startThreeApps>>['send'];
let apps: Record<AppName, NestExpressApplication>;
let close: (() => Promise<void>) | undefined;
const tokens = new Map<string, string>();

const authHeader = (user: AuthUser | undefined): Record<string, string> =>
  user ? { authorization: `Bearer ${tokens.get(user.sub)}` } : {};

function call(
  app: AppName,
  method: Method,
  path: string,
  user?: AuthUser,
  body?: unknown,
): Promise<RawResponse> {
  return send({
    app,
    method,
    path,
    headers: authHeader(user),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Fails the setup loudly: a fixture that did not take would make every cell after it meaningless. */
async function arranged(
  what: string,
  res: Promise<RawResponse>,
  status: number,
): Promise<RawResponse> {
  const r = await res;
  if (r.status !== status)
    throw new Error(`setup: ${what} answered ${r.status}, expected ${status}: ${r.text}`);
  return r;
}

function termCalendar() {
  return {
    name: 'Fall 2026',
    // Open whenever the suite runs: the enroll and drop rows register in this term.
    registration_opens_at: '2026-01-01T00:00:00Z',
    add_deadline: '2099-09-10T23:59:59Z',
    drop_deadline: '2099-09-20T23:59:59Z',
    withdraw_deadline: '2099-11-01T23:59:59Z',
  };
}

function newCourse(courseId: string) {
  return {
    course_id: courseId,
    course_code: courseId.split('-')[0],
    title: `Course ${courseId}`,
    semester_id: SEMESTER,
    department_id: 'CS',
    instructor_id: CURRENT_INSTRUCTOR,
    capacity: 30,
    credits: 3,
  };
}

/** A course taught first by the former instructor, then reassigned by an admin to the current one. */
async function arrangeSection(courseId: string): Promise<void> {
  await stack.putCourse(courseId, { instructor_id: FORMER_INSTRUCTOR });
  await arranged(
    `admin reassigning ${courseId}`,
    call('courses', 'PATCH', `/api/courses/${courseId}`, ADMIN, {
      instructor_id: CURRENT_INSTRUCTOR,
    }),
    200,
  );
}

const enroll = (user: AuthUser, courseId: string) =>
  arranged(
    `${user.sub} enrolling in ${courseId}`,
    call('enrollments', 'POST', '/api/enrollments', user, { course_id: courseId }),
    201,
  );

const putUser = (user: AuthUser, name: string) =>
  stack.putUser(user.sub, { email: user.email, name, role: user.role });

// ---------------------------------------------------------------------------------------------
// Checking one cell.

const describeOutcome = (o: Outcome) => (o.code ? `${o.status} ${o.code}` : `${o.status}`);
const pairOf = (e: Expectation): readonly [Outcome, Outcome] => ('status' in e ? [e, e] : e);
const describeExpectation = (e: Expectation) => {
  const [first, second] = pairOf(e);
  return first === second
    ? `${describeOutcome(first)} (twice)`
    : `${describeOutcome(first)}, then ${describeOutcome(second)}`;
};

/** Everything wrong with one response, as readable lines (none when it is as expected). */
function problemsOf(res: RawResponse, want: Outcome, withToken: boolean): string[] {
  const problems: string[] = [];
  const code = (res.json as { code?: unknown } | undefined)?.code;
  const got = `${res.status}${typeof code === 'string' ? ` ${code}` : ''}`;
  const xCache = res.headers['x-cache'] ? ` (X-Cache: ${res.headers['x-cache']})` : '';
  if (res.status !== want.status || (want.code !== undefined && code !== want.code)) {
    problems.push(`answered ${got}${xCache}, expected ${describeOutcome(want)}`);
  }
  if (withToken && res.headers['cache-control'] !== 'private, no-store') {
    problems.push(
      `Cache-Control is ${JSON.stringify(res.headers['cache-control'] ?? null)}, expected "private, no-store"`,
    );
  }
  return problems;
}

async function checkCell(row: RowName, p: Principal): Promise<void> {
  const endpoint = ENDPOINTS[row];
  const { path, body } = endpoint.request(cellOf(row, p));
  const user = 'user' in p ? p.user : undefined;
  const problems: string[] = [];
  for (const [i, want] of pairOf(MATRIX[row][PRINCIPALS.indexOf(p)]).entries()) {
    const res = await call(endpoint.app, endpoint.method, path, user, body);
    problems.push(
      ...problemsOf(res, want, user !== undefined).map((line) => `call ${i + 1}: ${line}`),
    );
  }
  if (problems.length > 0)
    throw new Error(`${endpoint.method} ${path} as ${p.label}:\n  ${problems.join('\n  ')}`);
}

// ---------------------------------------------------------------------------------------------
// The routes the apps map, for the completeness check.

const routeKey = (app: AppName, method: string, path: string) =>
  `${app}: ${method.toUpperCase()} ${path}`;

// ---------------------------------------------------------------------------------------------

const CELLS = ROWS.length * PRINCIPALS.length;

describe(`authorization matrix (${ROWS.length} rows × ${PRINCIPALS.length} principals = ${CELLS} cells)`, () => {
  beforeAll(async () => {
    await stack.migrate();
    ({ send, apps, close } = await startThreeApps());
    for (const p of PRINCIPALS) if ('user' in p) tokens.set(p.user.sub, await tokenFor(p.user));

    // Only the students have Users rows: everyone else's /api/auth/me is 404 USER_NOT_FOUND.
    await Promise.all([
      putUser(STUDENT_A, 'Student A'),
      putUser(STUDENT_B, 'Student B'),
      stack.putUser(RECORD_TARGET),
    ]);
    await arranged(
      'the term',
      call('courses', 'PUT', `/api/terms/${SEMESTER}`, ADMIN, termCalendar()),
      201,
    );
    await Promise.all([
      stack.putCourse(SECTION, { instructor_id: FORMER_INSTRUCTOR }),
      stack.putCourse(ISOLATION_A),
      stack.putCourse(ISOLATION_B),
    ]);
    await Promise.all([
      enroll(STUDENT_A, SECTION),
      enroll(STUDENT_A, ISOLATION_A),
      enroll(STUDENT_B, ISOLATION_B),
    ]);

    // The former instructor reads the section's roster while it is theirs, until that 200 is a cache
    // hit; then an admin hands the section over. Nothing enrolls in the section afterwards, so the
    // cached entry stays valid under its tags.
    const rosterPath = `/api/courses/${SECTION}/enrollments`;
    await arranged(
      'former instructor reading the roster',
      call('enrollments', 'GET', rosterPath, FORMER),
      200,
    );
    let cached = false;
    await eventually(async () => {
      const r = await arranged(
        'former instructor re-reading the roster',
        call('enrollments', 'GET', rosterPath, FORMER),
        200,
      );
      return (cached = r.headers['x-cache'] === 'HIT');
    });
    if (!cached)
      throw new Error("setup: the former instructor's roster read never became a cache hit");
    await arranged(
      'admin reassigning the section',
      call('courses', 'PATCH', `/api/courses/${SECTION}`, ADMIN, {
        instructor_id: CURRENT_INSTRUCTOR,
      }),
      200,
    );

    await Promise.all(
      ROWS.flatMap((row) => PRINCIPALS.map((p) => ENDPOINTS[row].fresh?.arrange?.(cellOf(row, p)))),
    );
  });

  afterAll(async () => {
    await close?.();
    await stack.drop();
  });

  for (const row of ROWS) {
    describe(row, () => {
      for (const p of PRINCIPALS) {
        const expected = MATRIX[row][PRINCIPALS.indexOf(p)];
        it(`${row} as ${p.label} → ${describeExpectation(expected)}`, () => checkCell(row, p));
      }
    });
  }

  describe("per-user routes never show another user's data", () => {
    // The other student reads first, so a per-user cache entry keyed without the caller would be
    // served to the viewer; the viewer then reads twice (a miss, then possibly a hit).
    const pairs = [
      [STUDENT_A, STUDENT_B, ISOLATION_A, ISOLATION_B],
      [STUDENT_B, STUDENT_A, ISOLATION_B, ISOLATION_A],
    ] as const;

    it.each(
      pairs.map(
        ([viewer, other, own, theirs]) =>
          [label(viewer), label(other), viewer, other, own, theirs] as const,
      ),
    )(
      "GET /api/enrollments/me as %s never lists %s's enrollments",
      async (_viewerName, _otherName, viewer, other, own, theirs) => {
        await arranged(
          `${other.sub} reading their enrollments`,
          call('enrollments', 'GET', '/api/enrollments/me', other),
          200,
        );
        for (let i = 0; i < 2; i++) {
          const res = await call('enrollments', 'GET', '/api/enrollments/me', viewer);
          expect(res.status).toBe(200);
          const items = (res.json as { items: { user_id: string; course_id: string }[] }).items;
          expect(items.filter((e) => e.user_id !== viewer.sub)).toEqual([]);
          const courses = items.map((e) => e.course_id);
          expect(courses).toContain(own);
          expect(courses).not.toContain(theirs);
        }
      },
    );

    it.each(
      pairs.map(
        ([viewer, other, own, theirs]) =>
          [label(viewer), label(other), viewer, other, own, theirs] as const,
      ),
    )(
      "GET /api/enrollments/me/history as %s never lists %s's history",
      async (_viewerName, _otherName, viewer, other, own, theirs) => {
        await arranged(
          `${other.sub} reading their history`,
          call('enrollments', 'GET', '/api/enrollments/me/history', other),
          200,
        );
        for (let i = 0; i < 2; i++) {
          const res = await call('enrollments', 'GET', '/api/enrollments/me/history', viewer);
          expect(res.status).toBe(200);
          const items = (res.json as { items: { user_id: string; course_id: string }[] }).items;
          expect(items.filter((e) => e.user_id !== viewer.sub)).toEqual([]);
          const courses = items.map((e) => e.course_id);
          expect(courses).toContain(own);
          expect(courses).not.toContain(theirs);
        }
      },
    );

    it.each(pairs.map(([viewer, other]) => [label(viewer), label(other), viewer, other] as const))(
      "GET /api/auth/me as %s never shows %s's profile",
      async (_viewerName, _otherName, viewer, other) => {
        await arranged(
          `${other.sub} reading their profile`,
          call('enrollments', 'GET', '/api/auth/me', other),
          200,
        );
        for (let i = 0; i < 2; i++) {
          const res = await call('enrollments', 'GET', '/api/auth/me', viewer);
          expect(res.status).toBe(200);
          expect(res.json).toMatchObject({ user_id: viewer.sub, email: viewer.email });
        }
      },
    );
  });

  it('every route Nest maps in the three apps has a row in the matrix, and every row a route', () => {
    const inMatrix = new Set(
      ROWS.filter((row) => !ENDPOINTS[row].mounted).map((row) =>
        routeKey(ENDPOINTS[row].app, ENDPOINTS[row].method, ENDPOINTS[row].route),
      ),
    );
    const mapped = new Set(
      (Object.keys(apps) as AppName[]).flatMap((app) =>
        mappedRoutes(apps[app]).map(({ method, path }) => routeKey(app, method, path)),
      ),
    );
    expect(mapped.size).toBeGreaterThan(0);
    expect([...mapped].filter((r) => !inMatrix.has(r)).sort()).toEqual([]);
    expect([...inMatrix].filter((r) => !mapped.has(r)).sort()).toEqual([]);
  });
});
