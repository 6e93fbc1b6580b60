import type autocannon from 'autocannon';
import {
  assertLoopback,
  enrollWorkload,
  listKeys,
  listPath,
  listWorkload,
  myEnrollmentsWorkload,
} from './workload';

type Setup = (req: autocannon.Request, context: object) => autocannon.Request;
const build = (r: autocannon.Request): autocannon.Request =>
  r.setupRequest ? (r.setupRequest as Setup)({ ...r, headers: { ...(r.headers ?? {}) } }, {}) : r;

describe('request builders', () => {
  it('lists every (semester, department) pair once, in a stable order', () => {
    const keys = listKeys([
      { course_id: 'A', semester_id: '2027-SPRING', department_id: 'CS' },
      { course_id: 'B', semester_id: '2026-FALL', department_id: 'MATH' },
      { course_id: 'C', semester_id: '2026-FALL', department_id: 'MATH' },
    ]);
    expect(keys).toEqual([
      { semester_id: '2026-FALL', department_id: 'MATH' },
      { semester_id: '2027-SPRING', department_id: 'CS' },
    ]);
    expect(listPath(keys[0])).toBe(
      '/api/courses?semester_id=2026-FALL&department_id=MATH&limit=50',
    );
  });

  it('list requests draw skewed keys', () => {
    const keys = Array.from({ length: 80 }, (_, i) => ({
      semester_id: 'S',
      department_id: `D${i}`,
    }));
    const [req] = listWorkload(keys, 1)(0);
    const paths = Array.from({ length: 2000 }, () => build(req).path!);
    const counts = new Map<string, number>();
    for (const p of paths) counts.set(p, (counts.get(p) ?? 0) + 1);
    const top = Math.max(...counts.values());
    expect(top / paths.length).toBeGreaterThan(0.1);
    expect(counts.size).toBeGreaterThan(20);
  });

  it('my-enrollments rotates tokens', () => {
    const [req] = myEnrollmentsWorkload(['a', 'b', 'c'])(0);
    expect(
      [1, 2, 3, 4].map(() => (build(req).headers as Record<string, string>).authorization),
    ).toEqual(['Bearer a', 'Bearer b', 'Bearer c', 'Bearer a']);
  });

  it('enroll gives each connection its own pair and follows its state: POST when out, DELETE when in', () => {
    const sut = enrollWorkload([
      { token: 't1', course_id: 'C1-2026-FALL', user_id: 'u1' },
      { token: 't2', course_id: 'C2-2026-FALL', user_id: 'u2' },
    ]);
    const [req] = sut(1);
    const respond = (status: number, body = '') =>
      (req.onResponse as (s: number, b: string, c: object) => void)(status, body, {});
    const first = build(req);
    expect(first).toMatchObject({
      method: 'POST',
      path: '/api/enrollments',
      body: '{"course_id":"C2-2026-FALL"}',
    });
    expect(first.headers).toMatchObject({
      authorization: 'Bearer t2',
      'content-type': 'application/json',
    });
    respond(201);
    expect(build(req)).toMatchObject({
      method: 'DELETE',
      path: '/api/enrollments/C2-2026-FALL',
      headers: { authorization: 'Bearer t2' },
    });
    respond(204);
    expect(build(req).method).toBe('POST');
    respond(409, '{"code":"ALREADY_ENROLLED"}');
    expect(build(req).method).toBe('DELETE');
    respond(404);
    expect(build(req).method).toBe('POST');
    respond(409, '{"code":"COURSE_FULL"}');
    expect(build(req).method).toBe('POST');
    respond(503);
    // A POST whose answer never came (the window ended) is taken to have committed; a failed DELETE did not.
    build(req);
    expect(build(req).method).toBe('DELETE');
    respond(503);
    expect(build(req).method).toBe('DELETE');
    respond(204);
    // another connection, another pair; a later call for the same pair (warm-up, then run) keeps the state
    expect(build(sut(2)[0]).body).toBe('{"course_id":"C1-2026-FALL"}');
    respond(201);
    expect(build(sut(1)[0]).method).toBe('DELETE');
  });
});

describe('assertLoopback', () => {
  it('only lets 127.0.0.1 through', () => {
    expect(() => assertLoopback('http://127.0.0.1:3001')).not.toThrow();
    expect(() => assertLoopback('http://localhost:3001')).toThrow();
    expect(() => assertLoopback('http://10.0.0.1:3001')).toThrow();
  });
});
