// The fuzz suite's model of the API: every endpoint of the three apps with a harmless base request,
// the drafts that generators turn into hostile requests, and what a rejection must look like.
import type { AppName, RawRequest } from '../three-apps';

export type Role = 'student' | 'instructor' | 'admin';
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** The signed-in callers the suite has valid tokens for. */
export type CallerName = 'admin' | 'instructor' | 'student' | 'student2';

export const CALLERS: Record<CallerName, { sub: string; role: Role }> = {
  admin: { sub: 'a1', role: 'admin' },
  instructor: { sub: 'i1', role: 'instructor' },
  student: { sub: 'u1', role: 'student' },
  student2: { sub: 'u2', role: 'student' },
};

/** What a body field must hold; each kind has its own invalid values. */
export type FieldKind =
  | 'id'
  | 'course_code'
  | 'title'
  | 'description'
  | 'capacity'
  | 'credits'
  | 'iso_time'
  | 'max_credits'
  | 'course_codes'
  | 'course_ids'
  | 'hold_code'
  | 'permit_type'
  | 'reason'
  | 'boolean';

/**
 * Seeded ids. Write routes aim at targets where an accidentally accepted request still fails
 * harmlessly (an existing course for create, a missing one for update/delete, a full course for
 * enroll, a course the student is not in for drop), so a missed defect shows up as a wrong status
 * instead of changing the data every later property relies on.
 */
export const IDS = {
  course: 'CS101-2026-FALL',
  otherCourse: 'CS102-2026-FALL',
  notEnrolledCourse: 'CS201-2026-FALL',
  fullCourse: 'FULL1-2026-FALL',
  ghostCourse: 'GHOST1-2026-FALL',
  /** A term no other check reads: a PUT the API wrongly accepted would only write this one. */
  fuzzTerm: 'FUZZ-TERM',
  /** A student record only the registrar routes aim at (seeded; a wrongly accepted write changes it). */
  fuzzRecord: 'fuzz-record',
  semester: '2026-FALL',
} as const;

export interface Route {
  name: string;
  /** The apps that serve it (the platform routes are on all three). */
  apps: readonly AppName[];
  method: Method;
  /** `:name` segments are filled from `params`. */
  template: string;
  params: Record<string, string>;
  query: Record<string, string>;
  queryFields: readonly string[];
  body?: Record<string, unknown>;
  bodyFields?: Readonly<Record<string, FieldKind>>;
  requiredBodyFields?: readonly string[];
  /** 'public': anyone; a list: only these roles; empty list: any signed-in caller. */
  access: 'public' | readonly Role[];
  /** Who sends the harmless base request (public routes: nobody). */
  caller?: CallerName;
}

const ALL_APPS: readonly AppName[] = ['courses', 'enrollments', 'notifications'];
const PAGE = ['limit', 'cursor'] as const;
const COURSE_FIELDS: Record<string, FieldKind> = {
  course_id: 'id',
  course_code: 'course_code',
  title: 'title',
  description: 'description',
  semester_id: 'id',
  department_id: 'id',
  instructor_id: 'id',
  capacity: 'capacity',
  credits: 'credits',
};
const PATCH_FIELDS: Record<string, FieldKind> = {
  title: 'title',
  description: 'description',
  capacity: 'capacity',
  credits: 'credits',
  instructor_id: 'id',
};

export const ROUTES: readonly Route[] = [
  {
    name: 'GET /api/courses',
    apps: ['courses'],
    method: 'GET',
    template: '/api/courses',
    params: {},
    query: { semester_id: IDS.semester, department_id: 'CS', limit: '2' },
    queryFields: ['semester_id', 'department_id', ...PAGE],
    access: 'public',
  },
  {
    name: 'GET /api/courses/:course_id',
    apps: ['courses'],
    method: 'GET',
    template: '/api/courses/:course_id',
    params: { course_id: IDS.course },
    query: {},
    queryFields: [],
    access: 'public',
  },
  {
    name: 'GET /api/instructors/:instructor_id/courses',
    apps: ['courses'],
    method: 'GET',
    template: '/api/instructors/:instructor_id/courses',
    params: { instructor_id: 'i1' },
    query: { semester_id: IDS.semester },
    queryFields: ['semester_id', ...PAGE],
    access: 'public',
  },
  {
    name: 'POST /api/courses',
    apps: ['courses'],
    method: 'POST',
    template: '/api/courses',
    params: {},
    query: {},
    queryFields: [],
    body: {
      course_id: IDS.course,
      course_code: 'CS101',
      title: 'Introduction to Programming',
      description: 'Already exists: a create that gets through answers 409.',
      semester_id: IDS.semester,
      department_id: 'CS',
      instructor_id: 'i1',
      capacity: 30,
      credits: 3,
    },
    bodyFields: COURSE_FIELDS,
    requiredBodyFields: Object.keys(COURSE_FIELDS).filter((f) => f !== 'description'),
    access: ['admin'],
    caller: 'admin',
  },
  {
    name: 'PATCH /api/courses/:course_id',
    apps: ['courses'],
    method: 'PATCH',
    template: '/api/courses/:course_id',
    params: { course_id: IDS.ghostCourse },
    query: {},
    queryFields: [],
    body: { title: 'Renamed', capacity: 40 },
    bodyFields: PATCH_FIELDS,
    requiredBodyFields: [],
    access: ['admin', 'instructor'],
    caller: 'admin',
  },
  {
    name: 'DELETE /api/courses/:course_id',
    apps: ['courses'],
    method: 'DELETE',
    template: '/api/courses/:course_id',
    params: { course_id: IDS.ghostCourse },
    query: {},
    queryFields: [],
    access: ['admin'],
    caller: 'admin',
  },
  {
    name: 'POST /api/enrollments',
    apps: ['enrollments'],
    method: 'POST',
    template: '/api/enrollments',
    params: {},
    query: {},
    queryFields: [],
    body: { course_id: IDS.fullCourse },
    bodyFields: { course_id: 'id', waitlist: 'boolean' },
    requiredBodyFields: ['course_id'],
    access: ['student'],
    caller: 'student',
  },
  {
    name: 'POST /api/registrations',
    apps: ['enrollments'],
    method: 'POST',
    template: '/api/registrations',
    params: {},
    query: {},
    queryFields: [],
    // Refused whatever is mutated (a full section, a section not held): the tables stay as seeded.
    body: { add: [IDS.fullCourse], drop: [IDS.notEnrolledCourse], waitlist: false },
    bodyFields: { add: 'course_ids', drop: 'course_ids', waitlist: 'boolean' },
    requiredBodyFields: [],
    access: ['student'],
    caller: 'student',
  },
  {
    name: 'POST /api/registrations/validate',
    apps: ['enrollments'],
    method: 'POST',
    template: '/api/registrations/validate',
    params: {},
    query: {},
    queryFields: [],
    body: { add: [IDS.fullCourse], drop: [IDS.notEnrolledCourse], waitlist: true },
    bodyFields: { add: 'course_ids', drop: 'course_ids', waitlist: 'boolean' },
    requiredBodyFields: [],
    access: ['student'],
    caller: 'student',
  },
  {
    name: 'DELETE /api/enrollments/:course_id',
    apps: ['enrollments'],
    method: 'DELETE',
    template: '/api/enrollments/:course_id',
    params: { course_id: IDS.notEnrolledCourse },
    query: {},
    queryFields: [],
    access: ['student'],
    caller: 'student',
  },
  {
    name: 'GET /api/enrollments/me',
    apps: ['enrollments'],
    method: 'GET',
    template: '/api/enrollments/me',
    params: {},
    query: { semester_id: IDS.semester },
    queryFields: ['semester_id', ...PAGE],
    access: ['student'],
    caller: 'student',
  },
  {
    name: 'GET /api/courses/:course_id/enrollments',
    apps: ['enrollments'],
    method: 'GET',
    template: '/api/courses/:course_id/enrollments',
    params: { course_id: IDS.course },
    query: { limit: '5' },
    queryFields: [...PAGE],
    access: ['instructor', 'admin'],
    caller: 'instructor',
  },
  {
    name: 'GET /api/enrollments/me/history',
    apps: ['enrollments'],
    method: 'GET',
    template: '/api/enrollments/me/history',
    params: {},
    query: { limit: '5' },
    queryFields: [...PAGE],
    access: ['student'],
    caller: 'student',
  },
  {
    name: 'GET /api/courses/:course_id/history',
    apps: ['enrollments'],
    method: 'GET',
    template: '/api/courses/:course_id/history',
    params: { course_id: IDS.course },
    query: { limit: '5' },
    queryFields: [...PAGE],
    access: ['instructor', 'admin'],
    caller: 'instructor',
  },
  {
    name: 'GET /api/users/:user_id/history',
    apps: ['enrollments'],
    method: 'GET',
    template: '/api/users/:user_id/history',
    params: { user_id: 'u1' },
    query: { limit: '5' },
    queryFields: [...PAGE],
    access: ['admin'],
    caller: 'admin',
  },
  {
    name: 'POST /api/enrollments/:course_id/accept',
    apps: ['enrollments'],
    method: 'POST',
    template: '/api/enrollments/:course_id/accept',
    params: { course_id: IDS.notEnrolledCourse },
    query: {},
    queryFields: [],
    access: ['student'],
    caller: 'student',
  },
  {
    name: 'GET /api/courses/:course_id/waitlist',
    apps: ['enrollments'],
    method: 'GET',
    template: '/api/courses/:course_id/waitlist',
    params: { course_id: IDS.course },
    query: { limit: '5' },
    queryFields: [...PAGE],
    access: ['instructor', 'admin'],
    caller: 'instructor',
  },
  {
    name: 'GET /api/auth/me',
    apps: ['enrollments'],
    method: 'GET',
    template: '/api/auth/me',
    params: {},
    query: {},
    queryFields: [],
    access: [],
    caller: 'student',
  },
  {
    name: 'GET /api/terms',
    apps: ['courses'],
    method: 'GET',
    template: '/api/terms',
    params: {},
    query: {},
    queryFields: [],
    access: 'public',
  },
  {
    name: 'GET /api/terms/:term_id',
    apps: ['courses'],
    method: 'GET',
    template: '/api/terms/:term_id',
    params: { term_id: IDS.semester },
    query: {},
    queryFields: [],
    access: 'public',
  },
  {
    name: 'PUT /api/terms/:term_id',
    apps: ['courses'],
    method: 'PUT',
    template: '/api/terms/:term_id',
    params: { term_id: IDS.fuzzTerm },
    query: {},
    queryFields: [],
    body: {
      name: 'Fuzz term',
      registration_opens_at: '2026-08-01T09:00:00Z',
      add_deadline: '2026-09-10T23:59:59Z',
      drop_deadline: '2026-09-20T23:59:59Z',
      withdraw_deadline: '2026-11-01T23:59:59Z',
    },
    // name: 1-100 characters; every value the 'title' kind refuses (1-200) is refused here too.
    bodyFields: {
      name: 'title',
      registration_opens_at: 'iso_time',
      add_deadline: 'iso_time',
      drop_deadline: 'iso_time',
      withdraw_deadline: 'iso_time',
    },
    requiredBodyFields: [
      'name',
      'registration_opens_at',
      'add_deadline',
      'drop_deadline',
      'withdraw_deadline',
    ],
    access: ['admin'],
    caller: 'admin',
  },
  {
    name: 'PATCH /api/users/:user_id',
    apps: ['enrollments'],
    method: 'PATCH',
    template: '/api/users/:user_id',
    params: { user_id: IDS.fuzzRecord },
    query: {},
    queryFields: [],
    body: { max_credits: 12 },
    bodyFields: {
      priority_group: 'id',
      max_credits: 'max_credits',
      completed_courses: 'course_codes',
    },
    requiredBodyFields: [],
    access: ['admin'],
    caller: 'admin',
  },
  {
    name: 'POST /api/users/:user_id/holds',
    apps: ['enrollments'],
    method: 'POST',
    template: '/api/users/:user_id/holds',
    params: { user_id: IDS.fuzzRecord },
    query: {},
    queryFields: [],
    body: { code: 'FUZZ', reason: 'a hold nobody reads' },
    bodyFields: { code: 'hold_code', reason: 'reason' },
    requiredBodyFields: ['code', 'reason'],
    access: ['admin'],
    caller: 'admin',
  },
  {
    name: 'DELETE /api/users/:user_id/holds/:hold_id',
    apps: ['enrollments'],
    method: 'DELETE',
    template: '/api/users/:user_id/holds/:hold_id',
    params: { user_id: IDS.fuzzRecord, hold_id: 'no-such-hold' },
    query: {},
    queryFields: [],
    access: ['admin'],
    caller: 'admin',
  },
  {
    // Aimed at a course that does not exist: a wrongly accepted request still writes nothing.
    name: 'POST /api/permits',
    apps: ['enrollments'],
    method: 'POST',
    template: '/api/permits',
    params: {},
    query: {},
    queryFields: [],
    body: { user_id: IDS.fuzzRecord, course_id: IDS.ghostCourse, type: 'CAPACITY' },
    bodyFields: { user_id: 'id', course_id: 'id', type: 'permit_type', expires_at: 'iso_time' },
    requiredBodyFields: ['user_id', 'course_id', 'type'],
    access: ['admin', 'instructor'],
    caller: 'admin',
  },
  {
    name: 'GET /api/users/:user_id/permits',
    apps: ['enrollments'],
    method: 'GET',
    template: '/api/users/:user_id/permits',
    params: { user_id: IDS.fuzzRecord },
    query: {},
    queryFields: [],
    access: ['admin', 'student'],
    caller: 'admin',
  },
  {
    name: 'DELETE /api/permits/:permit_id',
    apps: ['enrollments'],
    method: 'DELETE',
    template: '/api/permits/:permit_id',
    params: { permit_id: `${IDS.fuzzRecord}~${IDS.ghostCourse}~CAPACITY` },
    query: {},
    queryFields: [],
    access: ['admin', 'instructor'],
    caller: 'admin',
  },
  {
    name: 'GET /api/queues/email/failed',
    apps: ['notifications'],
    method: 'GET',
    template: '/api/queues/email/failed',
    params: {},
    query: { limit: '5' },
    queryFields: ['limit'],
    access: ['admin'],
    caller: 'admin',
  },
  {
    name: 'GET /api/queues/email/counts',
    apps: ['notifications'],
    method: 'GET',
    template: '/api/queues/email/counts',
    params: {},
    query: {},
    queryFields: [],
    access: ['admin'],
    caller: 'admin',
  },
  ...['/health/live', '/health/ready', '/metrics'].map((template): Route => ({
    name: `GET ${template}`,
    apps: ALL_APPS,
    method: 'GET',
    template,
    params: {},
    query: {},
    queryFields: [],
    access: 'public',
  })),
];

/** The route's harmless base request (no defect yet) on one of its apps. */
export interface Draft {
  route: Route;
  app: AppName;
  method: string;
  /** Path segments exactly as sent (already percent-encoded, or deliberately not). */
  params: Record<string, string>;
  /** Set by the unknown-route generators: replaces the route's template. */
  pathOverride?: string;
  /** Name/value pairs exactly as sent; a value of undefined sends the name without "=". */
  query: Array<[string, string | undefined]>;
  body?: string | Buffer;
  headers: Record<string, string>;
  /** How the Authorization header was made, for reports (the token itself is unreadable). */
  auth: string;
}

/** Percent-encodes every byte outside RFC 3986's unreserved set, UTF-8 first (lone surrogates become U+FFFD). */
export function pct(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function baseDraft(route: Route, app: AppName, tokens: Record<CallerName, string>): Draft {
  return {
    route,
    app,
    method: route.method,
    params: Object.fromEntries(Object.entries(route.params).map(([k, v]) => [k, pct(v)])),
    query: Object.entries(route.query).map(([k, v]) => [pct(k), pct(v)]),
    body: route.body === undefined ? undefined : JSON.stringify(route.body),
    headers: route.caller ? { authorization: `Bearer ${tokens[route.caller]}` } : {},
    auth: route.caller ? `valid ${route.caller} token` : 'none',
  };
}

export function draftPath(d: Draft): string {
  const path =
    d.pathOverride ?? d.route.template.replace(/:(\w+)/g, (_, name: string) => d.params[name]);
  const query = d.query.map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join('&');
  return query ? `${path}?${query}` : path;
}

export function render(d: Draft): RawRequest {
  return { app: d.app, method: d.method, path: draftPath(d), headers: d.headers, body: d.body };
}

/** Whether some route of `app` would take this method and path (`:x` takes any one segment, case-insensitively as Express does). */
export function isServed(app: AppName, method: string, path: string): boolean {
  const segments = path.split('?')[0].toLowerCase().split('/');
  return ROUTES.some((r) => {
    if (!r.apps.includes(app) || r.method !== method) return false;
    const template = r.template.toLowerCase().split('/');
    return (
      template.length === segments.length &&
      template.every((t, i) => (t.startsWith(':') ? segments[i].length > 0 : t === segments[i]))
    );
  });
}

/** What a rejection must be: one of these statuses and, when given, one of these codes. */
export interface Expectation {
  status: readonly number[];
  codes?: readonly string[];
  message?: RegExp;
}

export const rejectWith = (
  status: number | readonly number[],
  codes?: string | readonly string[],
  message?: RegExp,
): Expectation => ({
  status: typeof status === 'number' ? [status] : status,
  codes: codes === undefined ? undefined : typeof codes === 'string' ? [codes] : codes,
  message,
});

/** Any 4xx with any well-formed error body (several defects at once: which one wins is the server's business). */
export const ANY_REJECTION: Expectation = {
  status: Array.from({ length: 100 }, (_, i) => 400 + i),
};
