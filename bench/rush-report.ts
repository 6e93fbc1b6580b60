import type { EmailCheck, LatencySummary, SeatCheck } from './rush-checks';

/** What `npm run bench -- --rush` writes (bench/results/rush-<stamp>.json, schema in bench/README.md). */
export interface RushResult {
  generated_at: string;
  machine: { cpus: number; cpu_model: string; node: string };
  setup: {
    students: number;
    quick: boolean;
    seed: number;
    instances: Record<string, number>;
    sections: number;
    popular_sections: number;
    seats: number;
    waitlist_places: number;
    cart_lines: number;
    max_attempts: number;
    /** How many times a student submits what is left of a refused cart. */
    max_cart_submits: number;
    /** The apps' own limits: RATE_LIMIT_WRITES per window, DYNAMODB_MAX_INFLIGHT_WRITES per instance. */
    app_limits: Record<string, string>;
  };
  /** Per cart line, after the rush (before the drops). */
  outcomes: {
    enrolled: number;
    waitlisted: number;
    rejected: Record<string, number>;
    /** Students whose first cart was refused and who submitted it again without the refused lines. */
    resubmitting_students: number;
    /** Sum of the sections' enrolled_count and waitlist_count right after the rush (GetItem by key). */
    stored: { enrolled: number; waitlisted: number };
  };
  /** Every HTTP answer of the rush, drops included, by status (and code for errors); 0 = no answer within 30 s. */
  http: {
    requests: number;
    by_status: Record<string, number>;
    status_429: number;
    status_503: number;
    status_5xx: number;
    no_answer: number;
    /** Requests sent again after Retry-After. */
    retries: number;
    /** Requests (a cart, one line's join, a drop) still 429/503 or unanswered after the last attempt. */
    gave_up: number;
  };
  /** Per request (each attempt), and per student (first send → final answer, retries included). */
  submit: { request: LatencySummary; student: LatencySummary; rush_ms: number };
  drops: { count: number; latency: LatencySummary };
  promotions: {
    count: number;
    expected: number;
    latency: LatencySummary;
  };
  checks: {
    no_5xx: boolean;
    seats: SeatCheck;
    waitlist_order: { pass: boolean; sections: number; out_of_order: number };
    promotions_order: { pass: boolean; sections: number; failed: string[] };
    emails: EmailCheck;
  };
  /** Last drop answered → the last email at the sink with every waitlist settled. */
  drain_ms: number | null;
}

const fmt = (n: number | null | undefined, unit = ''): string =>
  n === null || n === undefined ? 'n/a' : `${n.toLocaleString('en-US')}${unit}`;
const mark = (pass: boolean) => (pass ? 'PASS' : 'FAIL');

/** The checks that must hold, in report order. */
export function rushVerdicts(r: RushResult): { name: string; pass: boolean; detail: string }[] {
  const c = r.checks;
  return [
    {
      name: 'no 5xx',
      pass: c.no_5xx,
      detail: `${r.http.status_5xx} × 5xx; ${r.http.no_answer} requests without an answer within 30 s (sent again)`,
    },
    {
      name: 'no oversell',
      pass: c.seats.pass,
      detail: `${c.seats.sections} sections; ${c.seats.oversold.length} over capacity, ${c.seats.mismatched.length} with enrolled_count ≠ enrolled rows`,
    },
    {
      name: 'waitlist in join order',
      pass: c.waitlist_order.pass,
      detail: `${c.waitlist_order.sections} waitlists; ${c.waitlist_order.out_of_order} out of order`,
    },
    {
      name: 'promotions in order',
      pass: c.promotions_order.pass,
      detail: `${r.promotions.count} of ${r.promotions.expected} expected${c.promotions_order.failed.length ? `; failed: ${c.promotions_order.failed.join(', ')}` : ''}`,
    },
    {
      name: 'emails exactly once',
      pass: c.emails.pass,
      detail: `${c.emails.unique} Message-IDs of ${c.emails.expected} expected, ${c.emails.delivered} delivered, ${c.emails.duplicated} duplicated`,
    },
  ];
}

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

function latencyRow(name: string, l: LatencySummary): string {
  return row([
    name,
    fmt(l.count),
    fmt(l.p50_ms, ' ms'),
    fmt(l.p99_ms, ' ms'),
    fmt(l.max_ms, ' ms'),
  ]);
}

export function renderRushMarkdown(r: RushResult): string {
  const s = r.setup;
  const inst = Object.entries(s.instances)
    .map(([app, n]) => `${n} × ${app}`)
    .join(', ');
  const rejected = Object.entries(r.outcomes.rejected).sort(([a], [b]) => a.localeCompare(b));
  const statuses = Object.entries(r.http.by_status).sort(([a], [b]) => a.localeCompare(b));
  return [
    `# Registration rush — ${r.generated_at}`,
    '',
    `${fmt(s.students)} students${s.quick ? ' (quick)' : ''} submit a 3–4 section cart with \`waitlist: true\` at the same instant the term's window opens; ${inst}, no proxy (the load generator spreads requests round-robin). ${s.sections} sections (${s.popular_sections} popular), ${fmt(s.seats)} seats, ${fmt(s.waitlist_places)} waitlist places, ${fmt(s.cart_lines)} cart lines. Machine: ${r.machine.cpus} × ${r.machine.cpu_model}, Node ${r.machine.node}.`,
    '',
    `A cart is all or nothing: ${fmt(r.outcomes.resubmitting_students)} students whose cart was refused took the refused lines out and submitted the rest again (at most ${s.max_cart_submits} submits).`,
    '',
    '## Checks',
    '',
    row(['check', 'result', 'detail']),
    row(['---', '---', '---']),
    ...rushVerdicts(r).map((v) => row([v.name, mark(v.pass), v.detail])),
    '',
    '## Outcomes (per cart line, before the drops)',
    '',
    row(['outcome', 'lines']),
    row(['---', '---:']),
    row(['enrolled', fmt(r.outcomes.enrolled)]),
    row(['waitlisted', fmt(r.outcomes.waitlisted)]),
    ...rejected.map(([code, n]) => row([`rejected ${code}`, fmt(n)])),
    '',
    `Stored right after the rush (the sections' counters): ${fmt(r.outcomes.stored.enrolled)} enrolled, ${fmt(r.outcomes.stored.waitlisted)} waitlisted. More than the answers say when a write committed but its answer was a 503 (the app's DynamoDB timeout ran out first): the student's retry then met its own row.`,
    '',
    '## Latency',
    '',
    row(['', 'count', 'p50', 'p99', 'max']),
    row(['---', '---:', '---:', '---:', '---:']),
    latencyRow('submit, per request', r.submit.request),
    latencyRow('submit, per student (retries included)', r.submit.student),
    latencyRow('drop', r.drops.latency),
    latencyRow('promotion (seat freed → enrolled, History)', r.promotions.latency),
    '',
    `Rush (T0 → last answer): ${fmt(r.submit.rush_ms, ' ms')}. Drops sent: ${fmt(r.drops.count)}. Promotions: ${fmt(r.promotions.count)} of ${fmt(r.promotions.expected)} expected. Drain (last drop → last email, waitlists settled): ${fmt(r.drain_ms, ' ms')}.`,
    '',
    '## HTTP answers',
    '',
    `${fmt(r.http.requests)} requests; 429: ${fmt(r.http.status_429)}, 503: ${fmt(r.http.status_503)}, 5xx: ${fmt(r.http.status_5xx)}, no answer: ${fmt(r.http.no_answer)}; ${fmt(r.http.retries)} sent again after \`Retry-After\` (at most ${s.max_attempts} attempts), ${fmt(r.http.gave_up)} gave up. App limits: ${Object.entries(
      s.app_limits,
    )
      .map(([k, v]) => `\`${k}=${v}\``)
      .join(', ')}.`,
    '',
    row(['status', 'answers']),
    row(['---', '---:']),
    ...statuses.map(([k, n]) => row([k, fmt(n)])),
    '',
  ].join('\n');
}
