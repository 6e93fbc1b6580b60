import { renderRushMarkdown, RushResult, rushVerdicts } from './rush-report';

const latency = (p50: number, p99: number) => ({
  count: 10,
  p50_ms: p50,
  p99_ms: p99,
  max_ms: p99,
});

function fixture(): RushResult {
  return {
    generated_at: '2026-12-03T08:00:00.000Z',
    machine: { cpus: 2, cpu_model: 'Test CPU', node: 'v20.0.0' },
    setup: {
      students: 1000,
      quick: false,
      seed: 7,
      instances: { courses: 2, enrollments: 2, notifications: 2 },
      sections: 70,
      popular_sections: 6,
      seats: 3200,
      waitlist_places: 270,
      cart_lines: 3500,
      max_attempts: 5,
      max_cart_submits: 3,
      app_limits: { RATE_LIMIT_WRITES: 'default (30/min)' },
    },
    outcomes: {
      enrolled: 2100,
      waitlisted: 270,
      rejected: { WAITLIST_FULL: 1100, COURSE_FULL: 30 },
      resubmitting_students: 800,
      stored: { enrolled: 2110, waitlisted: 270 },
    },
    http: {
      requests: 4000,
      by_status: { '201': 3000, '409 COURSE_FULL': 900, '503 OVERLOADED': 100 },
      status_429: 0,
      status_503: 100,
      status_5xx: 0,
      no_answer: 0,
      retries: 100,
      gave_up: 0,
    },
    submit: { request: latency(800, 4000), student: latency(2500, 9000), rush_ms: 30_000 },
    drops: { count: 150, latency: latency(200, 900) },
    promotions: { count: 30, expected: 30, latency: latency(300, 1200) },
    checks: {
      no_5xx: true,
      seats: { pass: true, sections: 70, oversold: [], mismatched: [] },
      waitlist_order: { pass: true, sections: 6, out_of_order: 0 },
      promotions_order: { pass: true, sections: 6, failed: [] },
      emails: { pass: true, expected: 2300, delivered: 2300, unique: 2300, duplicated: 0 },
    },
    drain_ms: 4200,
  };
}

describe('rushVerdicts', () => {
  it('passes when every check holds', () => {
    expect(rushVerdicts(fixture()).map((v) => [v.name, v.pass])).toEqual([
      ['no 5xx', true],
      ['no oversell', true],
      ['waitlist in join order', true],
      ['promotions in order', true],
      ['emails exactly once', true],
    ]);
  });

  it('fails the check that broke and names what broke it', () => {
    const r = fixture();
    r.checks.seats = { pass: false, sections: 70, oversold: ['HOT100'], mismatched: [] };
    r.checks.promotions_order = { pass: false, sections: 6, failed: ['HOT101 (2/3)'] };
    const v = rushVerdicts(r);
    expect(v.find((x) => x.name === 'no oversell')).toMatchObject({
      pass: false,
      detail: '70 sections; 1 over capacity, 0 with enrolled_count ≠ enrolled rows',
    });
    expect(v.find((x) => x.name === 'promotions in order')!.detail).toContain('HOT101 (2/3)');
  });
});

describe('renderRushMarkdown', () => {
  const md = renderRushMarkdown(fixture());

  it('has the checks, the outcomes by code and the latencies', () => {
    expect(md).toContain('| no oversell | PASS | 70 sections; 0 over capacity');
    expect(md).toContain('| rejected COURSE_FULL | 30 |');
    expect(md).toContain("the sections' counters): 2,110 enrolled, 270 waitlisted");
    expect(md).toContain('| rejected WAITLIST_FULL | 1,100 |');
    expect(md).toContain('| submit, per request | 10 | 800 ms | 4,000 ms | 4,000 ms |');
    expect(md).toContain('| promotion (seat freed → enrolled, History) | 10 | 300 ms | 1,200 ms |');
    expect(md).toContain('Drain (last drop → last email, waitlists settled): 4,200 ms');
  });

  it('says how many students resubmitted a refused cart, and the 429/503 counts', () => {
    expect(md).toContain('800 students whose cart was refused took the refused lines out');
    expect(md).toContain('(at most 3 submits)');
    expect(md).toContain('429: 0, 503: 100, 5xx: 0');
    expect(md).toContain('| 503 OVERLOADED | 100 |');
    const r = fixture();
    r.drain_ms = null;
    const other = renderRushMarkdown(r);
    expect(other).toContain('waitlists settled): n/a');
  });
});
