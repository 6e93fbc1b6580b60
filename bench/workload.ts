import autocannon from 'autocannon';
import { LatencyRecorder, round } from './stats';
import { zipfPicker } from './zipf';

export interface CatalogCourse {
  course_id: string;
  semester_id: string;
  department_id: string;
}

export interface ListKey {
  semester_id: string;
  department_id: string;
}

export interface EnrollPair {
  token: string;
  course_id: string;
  user_id: string;
}

/** A page size that gives a list body of roughly 10 KB, like the write-up's catalog page. */
export const LIST_LIMIT = 50;
/** Zipf exponents: catalog keys are very skewed (a few big departments), course ids somewhat less. */
export const LIST_ZIPF_S = 1.1;
export const DETAIL_ZIPF_S = 1.0;

export const listPath = (k: ListKey, limit = LIST_LIMIT) =>
  `/api/courses?semester_id=${encodeURIComponent(k.semester_id)}&department_id=${encodeURIComponent(k.department_id)}&limit=${limit}`;

/** Every (semester, department) pair present in the catalog, in a stable order. */
export function listKeys(courses: readonly CatalogCourse[]): ListKey[] {
  const seen = new Map<string, ListKey>();
  for (const c of courses)
    seen.set(`${c.semester_id}#${c.department_id}`, {
      semester_id: c.semester_id,
      department_id: c.department_id,
    });
  return [...seen.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, k]) => k);
}

/** Per-client request lists for autocannon (`setupClient` → `client.setRequests`). */
export type RequestsFor = (clientIndex: number) => autocannon.Request[];

/** List by semester + department, keys drawn Zipf-skewed (shared draw stream across clients). */
export function listWorkload(keys: readonly ListKey[], seed: number): RequestsFor {
  const pick = zipfPicker(keys, LIST_ZIPF_S, seed);
  return () => [
    { method: 'GET', setupRequest: (req) => ({ ...req, path: listPath(pick.next()) }) },
  ];
}

export function detailWorkload(courseIds: readonly string[], seed: number): RequestsFor {
  const pick = zipfPicker(courseIds, DETAIL_ZIPF_S, seed);
  return () => [
    {
      method: 'GET',
      setupRequest: (req) => ({ ...req, path: `/api/courses/${encodeURIComponent(pick.next())}` }),
    },
  ];
}

/** My enrollments, the student tokens taken in rotation. */
export function myEnrollmentsWorkload(tokens: readonly string[]): RequestsFor {
  let next = 0;
  return () => [
    {
      method: 'GET',
      path: '/api/enrollments/me',
      setupRequest: (req) => ({
        ...req,
        headers: { ...req.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` },
      }),
    },
  ];
}

/**
 * Enroll then drop, forever: each connection owns one (student, course) pair the student is not
 * enrolled in, on a course with free seats, so the dataset ends as it started. The next request
 * follows the pair's last known state (a warm-up or a timeout may end between the two), so a
 * connection enrolls when its student is out and drops when in.
 */
export function enrollWorkload(pairs: readonly EnrollPair[]): RequestsFor {
  const enrolled = new Map<string, boolean>();
  return (i) => {
    const p = pairs[i % pairs.length];
    const id = `${p.user_id}#${p.course_id}`;
    const auth = `Bearer ${p.token}`;
    const post = {
      method: 'POST' as const,
      path: '/api/enrollments',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ course_id: p.course_id }),
    };
    const del = {
      method: 'DELETE' as const,
      path: `/api/enrollments/${encodeURIComponent(p.course_id)}`,
      headers: { authorization: auth },
      body: '',
    };
    let posted = false;
    return [
      {
        // The state moves when a request is sent, to what it will be if it succeeds: a request
        // still out when a window ends (its answer is never seen) most likely committed, so the
        // next window starts with the request that follows it, not with a 409 or 404.
        setupRequest: (req) => {
          posted = !enrolled.get(id);
          enrolled.set(id, posted);
          return { ...req, ...(posted ? post : del) };
        },
        onResponse: (status, body) => {
          if (posted)
            enrolled.set(
              id,
              status === 201 || (status === 409 && body.includes('ALREADY_ENROLLED')),
            );
          else enrolled.set(id, status !== 204 && status !== 404);
        },
      },
    ];
  };
}

export interface DriveOptions {
  /** http://127.0.0.1:port — nothing else is ever targeted. */
  baseUrl: string;
  connections: number;
  durationS: number;
  timeoutS: number;
  requestsFor: RequestsFor;
  /** The running instance, so a Ctrl-C can stop it. */
  onStart?: (instance: autocannon.Instance) => void;
}

export interface DriveResult {
  responses: number;
  durationS: number;
  rps: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  mean_ms: number;
  /** Timeouts + connection errors + 5xx responses. */
  errors: number;
  timeouts: number;
  non2xx: number;
  status: Record<string, number>;
}

export function assertLoopback(baseUrl: string): void {
  const host = new URL(baseUrl).hostname;
  if (host !== '127.0.0.1')
    throw new Error(`refusing to send load to ${host}: the benchmark only targets 127.0.0.1`);
}

/** One autocannon run; latencies of every response (not just 2xx), timeouts counted at the timeout. */
export async function drive(opts: DriveOptions): Promise<DriveResult> {
  assertLoopback(opts.baseUrl);
  const latencies = new LatencyRecorder();
  let clientIndex = 0;
  let instance!: autocannon.Instance;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: opts.baseUrl,
        connections: opts.connections,
        duration: opts.durationS,
        timeout: opts.timeoutS,
        pipelining: 1,
        setupClient: (client) => client.setRequests(opts.requestsFor(clientIndex++)),
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
  instance.on('response', (_client, _status, _bytes, responseTime) =>
    latencies.record(responseTime),
  );
  opts.onStart?.(instance);
  const r = await finished;
  latencies.recordCensored(r.timeouts, opts.timeoutS * 1000);
  const responses = latencies.count - r.timeouts;
  const durationS = r.duration > 0 ? r.duration : opts.durationS;
  const s = latencies.summary();
  const status: Record<string, number> = {};
  for (const [code, stat] of Object.entries(r.statusCodeStats ?? {}))
    status[code] = stat?.count ?? 0;
  return {
    responses,
    durationS,
    rps: round(responses / durationS, 1),
    p50_ms: round(s.p50),
    p95_ms: round(s.p95),
    p99_ms: round(s.p99),
    mean_ms: round(s.mean),
    errors: r.errors + r['5xx'],
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    status,
  };
}
