import {
  activitySignature,
  cacheHitRate,
  counterDelta,
  parsePrometheus,
  unitsPerRequest,
  callsPerRequest,
  serverRequests,
  sumMetric,
  WCU_METRIC,
} from './metrics';

const text = (hit: number, miss: number, rcu?: [number, number]) => `
# HELP cache_requests_total Cacheable requests by route name and result
# TYPE cache_requests_total counter
cache_requests_total{name="courses-by-semester",result="hit"} ${hit}
cache_requests_total{name="courses-by-semester",result="miss"} ${miss}
cache_requests_total{name="course-detail",result="hit"} 1000
# HELP dynamodb_consumed_read_capacity_total Read capacity units consumed
# TYPE dynamodb_consumed_read_capacity_total counter
${rcu ? `dynamodb_consumed_read_capacity_total{table="b_Courses",operation="Query"} ${rcu[0]}\ndynamodb_consumed_read_capacity_total{table="b_Courses",operation="Scan"} ${rcu[1]}` : ''}
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/courses",status="200"} 12
http_request_duration_seconds_count{method="GET",route="/api/courses",status="200"} 12
`;

describe('parsePrometheus', () => {
  it('reads names, labels, values and TYPE lines', () => {
    const sut = parsePrometheus(text(5, 2, [1.5, 10]));
    expect(sut.families.has('cache_requests_total')).toBe(true);
    expect(sut.samples).toContainEqual({
      name: 'cache_requests_total',
      labels: { name: 'courses-by-semester', result: 'hit' },
      value: 5,
    });
    expect(
      sut.samples.find((s) => s.name === 'http_request_duration_seconds_bucket')?.labels.le,
    ).toBe('+Inf');
  });

  it('handles escaped label values, timestamps and garbage lines', () => {
    const sut = parsePrometheus('m{a="x\\"y",b="c\\\\d"} 3 1700000000\nnot a sample\nn 2.5e3\n');
    expect(sut.samples).toEqual([
      { name: 'm', labels: { a: 'x"y', b: 'c\\d' }, value: 3 },
      { name: 'n', labels: {}, value: 2500 },
    ]);
  });
});

describe('sums and deltas', () => {
  it('sums samples matching a label subset; null when the metric is unknown', () => {
    const snap = parsePrometheus(text(5, 2, [1.5, 10]));
    expect(sumMetric(snap, 'cache_requests_total')).toBe(1007);
    expect(sumMetric(snap, 'cache_requests_total', { name: 'courses-by-semester' })).toBe(7);
    expect(sumMetric(snap, 'nope')).toBeNull();
  });

  it('treats a declared counter without samples as zero, not absent', () => {
    const snap = parsePrometheus(text(0, 0));
    expect(sumMetric(snap, 'dynamodb_consumed_read_capacity_total')).toBe(0);
  });

  it('computes deltas, clamped at zero', () => {
    const before = parsePrometheus(text(5, 2, [1, 10]));
    const after = parsePrometheus(text(105, 3, [2, 30]));
    expect(counterDelta(before, after, 'dynamodb_consumed_read_capacity_total')).toBe(21);
    expect(counterDelta(after, before, 'dynamodb_consumed_read_capacity_total')).toBe(0);
    expect(counterDelta(before, parsePrometheus(''), 'cache_requests_total')).toBeNull();
  });

  it('hit rate is hit/(hit+miss+bypass) of one cache name over the window', () => {
    const before = parsePrometheus(text(5, 2));
    const after = parsePrometheus(text(104, 3));
    expect(cacheHitRate(before, after, 'courses-by-semester')).toBeCloseTo(0.99, 10);
    expect(cacheHitRate(before, after, 'course-detail')).toBeNull();
    expect(cacheHitRate(before, after, 'unknown')).toBeNull();
  });

  it('rcu per request: all tables and operations / requests the app served in the window', () => {
    const served = (n: number) =>
      `http_request_duration_seconds_count{method="GET",route="/api/courses",status="200"} ${n}\n` +
      `http_request_duration_seconds_count{method="GET",route="/metrics",status="200"} ${n * 7}\n`;
    const b = parsePrometheus(
      text(0, 0, [1, 10]).replace(/^http_request_duration_seconds_count.*$/m, '') + served(10),
    );
    const a = parsePrometheus(
      text(0, 0, [3, 18]).replace(/^http_request_duration_seconds_count.*$/m, '') + served(12),
    );
    expect(serverRequests(a)).toBe(12);
    expect(unitsPerRequest(b, a, 999)).toBe(5);
    expect(activitySignature(a) - activitySignature(b)).toBe(2 + 10);
  });

  it("DynamoDB calls per request: every app summed by operation, over the first app's requests", () => {
    const app = (served: number, calls: Record<string, number>) =>
      parsePrometheus(
        `http_request_duration_seconds_count{method="POST",route="/api/enrollments",status="201"} ${served}\n` +
          Object.entries(calls)
            .map(([op, n]) => `dynamodb_requests_total{operation="${op}"} ${n}\n`)
            .join(''),
      );
    const relay = (calls: Record<string, number>) =>
      parsePrometheus(
        Object.entries(calls)
          .map(([op, n]) => `dynamodb_requests_total{operation="${op}"} ${n}\n`)
          .join(''),
      );
    const before = [app(10, { GetItem: 5, TransactWriteItems: 2 }), relay({ UpdateItem: 1 })];
    const after = [
      app(14, { GetItem: 13, TransactWriteItems: 6, Query: 3 }),
      relay({ UpdateItem: 13, Query: 2 }),
    ];
    expect(callsPerRequest(before, after, 999)).toEqual({
      GetItem: 2,
      Query: 1.25,
      TransactWriteItems: 1,
      UpdateItem: 3,
    });
    expect(callsPerRequest([relay({})], [relay({})], 5)).toBeNull();
  });

  it('rcu per request falls back to the client count; null when absent or no requests', () => {
    const before = parsePrometheus(text(0, 0, [1, 10]));
    const after = parsePrometheus(text(0, 0, [3, 18]));
    expect(unitsPerRequest(before, after, 5)).toBe(2);
    expect(unitsPerRequest(before, after, 0)).toBeNull();
    expect(unitsPerRequest(parsePrometheus(''), parsePrometheus(''), 5)).toBeNull();
  });

  it('counts write units per request from the write counter, not the read one', () => {
    const wcu = (n: number) =>
      `dynamodb_consumed_write_capacity_total{table="b_Courses",operation="TransactWriteItems"} ${n}\n`;
    const before = parsePrometheus(text(0, 0, [1, 10]) + wcu(4));
    const after = parsePrometheus(text(0, 0, [3, 18]) + wcu(40));
    expect(unitsPerRequest(before, after, 5, WCU_METRIC)).toBe(7.2);
    expect(unitsPerRequest(before, after, 5)).toBe(2);
  });
});
