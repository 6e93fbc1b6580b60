// npm run bench -- --rush [--students N] [--quick]: the registration rush (issue 13 item 7). Several
// instances of each app, a term whose window opens at T0, every student's cart at T0 with
// `waitlist: true`, then drops so promotions run, the drain, and checks read back from DynamoDB
// by key and index (never a Scan), History and the SMTP sink. Writes bench/results/rush-*.{json,md}.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { BatchGetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { signToken } from '@app/auth';
import { courseIndexKeys, DynamoDbClients, GSI, tableNames, Tables } from '@app/data';
import { dropTables, migrate } from '@app/data/migrations';
import { forEachConcurrent } from '@app/data/seed';
import { isRetryable, Topology, TopologyResponse } from '@app/testing/topology';
import { appEnv, RunIds } from './configs';
import type { Harness } from './harness';
import {
  checkEmails,
  checkSeats,
  emailsImplied,
  HistoryEvent,
  promotionLatenciesMs,
  promotionsInOrder,
  SectionReadback,
  statusKey,
  summarize,
  WaitlistEntry,
  waitlistInJoinOrder,
} from './rush-checks';
import { pickDrops, planRush, RUSH_CREDITS, RushPlan } from './rush-plan';
import { renderRushMarkdown, RushResult, rushVerdicts } from './rush-report';
import type { Infra } from './stack';

export const RUSH_SEED = 7;
const INSTANCES = { courses: 2, enrollments: 2, notifications: 2 } as const;
const MAX_ATTEMPTS = 8;
const T0_LEAD_MS = 4000;
const DRAIN_TIMEOUT_MS = 180_000;

/** How many times a student submits what is left of a refused cart. */
const RESUBMITS = 3;

/** The refused lines of a 4xx cart answer, by course, with their first violation's code. */
function refusedLines(
  body: { violations?: { course_id?: string; code?: string }[] } | undefined,
  cart: readonly string[],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of body?.violations ?? [])
    if (v.course_id && v.code && cart.includes(v.course_id) && !out.has(v.course_id))
      out.set(v.course_id, v.code);
  return out;
}

/** The limits the apps enforce in a rush: their own defaults, not the main benchmark's "off". */
const UNSET_FOR_RUSH = [
  'RATE_LIMIT_WRITES',
  'RATE_LIMIT_READS',
  'DYNAMODB_MAX_INFLIGHT_WRITES',
  'WRITE_QUEUE_TIMEOUT_MS',
];

type Line = { user: number; course_id: string; status: 'enrolled' | 'waitlisted' | string };

class Recorder {
  readonly byStatus: Record<string, number> = {};
  requests = 0;
  retries = 0;
  gaveUp = 0;
  count(res: TopologyResponse) {
    this.requests++;
    const key = statusKey(res.status, res.body?.code);
    this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
  }
}

/** Sends until the answer is not a 429/503 with Retry-After, at most MAX_ATTEMPTS times; times each attempt. */
async function send(
  rec: Recorder,
  attemptMs: number[] | null,
  once: () => Promise<TopologyResponse>,
): Promise<TopologyResponse> {
  for (let attempt = 1; ; attempt++) {
    const started = performance.now();
    const res = await once();
    attemptMs?.push(performance.now() - started);
    rec.count(res);
    // No answer within the client's 30 s: a real client sends the same request (same key) again.
    const noAnswer = res.status === 0;
    if (!isRetryable(res) && !noAnswer) return res;
    if (attempt >= MAX_ATTEMPTS) {
      rec.gaveUp++;
      return res;
    }
    rec.retries++;
    const seconds = noAnswer ? 1 : Number(res.headers.get('retry-after'));
    // A real client: the server's Retry-After, with a little jitter so retries do not arrive together.
    const waitMs = (Number.isFinite(seconds) ? seconds : 1) * 1000 * (1 + Math.random() * 0.5);
    await new Promise((r) => setTimeout(r, waitMs));
  }
}

async function queryAll(
  dynamo: DynamoDbClients,
  input: ConstructorParameters<typeof QueryCommand>[0],
): Promise<{ items: Record<string, unknown>[]; count: number }> {
  const items: Record<string, unknown>[] = [];
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return { items, count };
}

async function getCourses(
  dynamo: DynamoDbClients,
  tables: Tables,
  ids: string[],
): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < ids.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = ids
      .slice(i, i + 100)
      .map((course_id) => ({ course_id }));
    while (keys && keys.length > 0) {
      const res = await dynamo.doc.send(
        new BatchGetCommand({
          RequestItems: { [tables.courses]: { Keys: keys, ConsistentRead: true } },
        }),
      );
      for (const item of res.Responses?.[tables.courses] ?? [])
        out.set(item.course_id as string, item);
      keys = res.UnprocessedKeys?.[tables.courses]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return out;
}

const waitlistOf = async (dynamo: DynamoDbClients, tables: Tables, courseId: string) =>
  (
    await queryAll(dynamo, {
      TableName: tables.enrollments,
      IndexName: GSI.waitlistByCourse,
      KeyConditionExpression: 'course_id = :c',
      ExpressionAttributeValues: { ':c': courseId },
    })
  ).items.map((i) => ({ user_id: i.user_id as string, waitlisted_at: i.waitlisted_at as string }));

const historyOf = async (
  dynamo: DynamoDbClients,
  tables: Tables,
  courseId: string,
): Promise<HistoryEvent[]> =>
  (
    await queryAll(dynamo, {
      TableName: tables.history,
      IndexName: GSI.historyByCourse,
      KeyConditionExpression: 'change_course_id = :c',
      ExpressionAttributeValues: { ':c': courseId },
    })
  ).items.map((i) => ({
    event_id: i.event_id as string,
    type: i.type as string,
    user_id: i.user_id as string,
    at: i.at as string,
  }));

/** Courses and students written directly (one PutItem each); the term goes through PUT /api/terms. */
async function seed(dynamo: DynamoDbClients, tables: Tables, plan: RushPlan, students: string[]) {
  const now = new Date().toISOString();
  await forEachConcurrent(plan.sections, 16, async (s) => {
    const base = {
      course_id: s.course_id,
      course_code: s.course_code,
      semester_id: plan.term_id,
      department_id: s.course_code.slice(0, 3),
    };
    await dynamo.doc.send(
      new PutCommand({
        TableName: tables.courses,
        Item: {
          ...base,
          ...courseIndexKeys(base),
          title: `Rush section ${s.course_code}`,
          instructor_id: 'i-rush',
          credits: RUSH_CREDITS,
          capacity: s.capacity,
          enrolled_count: 0,
          meetings: [],
          prerequisites: [],
          corequisites: [],
          waitlist_capacity: s.waitlist_capacity,
          waitlist_count: 0,
          created_at: now,
          updated_at: now,
          version: 1,
        },
      }),
    );
  });
  await forEachConcurrent(students, 32, async (user_id) => {
    await dynamo.doc.send(
      new PutCommand({
        TableName: tables.users,
        Item: {
          user_id,
          email: `${user_id}@example.edu`,
          name: `Student ${user_id}`,
          role: 'student',
          created_at: now,
        },
      }),
    );
  });
}

export async function runRush(
  h: Harness,
  infra: Infra,
  ids: RunIds,
  opts: { students: number; quick: boolean },
  resultsDir: string,
  stamp: string,
): Promise<{ files: string[]; pass: boolean; summary: string }> {
  const prefix = `bench_rush_${ids.runId}_`;
  const tables = tableNames(prefix);
  const plan = planRush({ students: opts.students, seed: RUSH_SEED });
  const students = plan.carts.map((_, i) => `rush${String(i).padStart(5, '0')}`);
  h.progress(
    `rush: ${opts.students} students, ${plan.sections.length} sections (${plan.sections.filter((s) => s.popular).length} popular) under ${prefix}*`,
  );
  await migrate(infra.dynamo.client, prefix, h.log);
  h.cleanup.add('rush tables', () => dropTables(infra.dynamo.client, prefix));
  await seed(infra.dynamo, tables, plan, students);

  const env = appEnv('optimized', 0, { ...ids, tablePrefix: prefix }, infra);
  for (const k of UNSET_FOR_RUSH) delete env[k];
  const { PORT: _port, ...instanceEnv } = env;
  h.progress(
    `starting ${Object.entries(INSTANCES)
      .map(([a, n]) => `${n} × ${a}`)
      .join(', ')}`,
  );
  const topology = await Topology.start(INSTANCES, instanceEnv);
  h.cleanup.add('rush instances', () => topology.stop());

  const admin = await signToken({ sub: 'rush-admin', role: 'admin' }, ids.jwtSecret, '6h');
  const tokens = await Promise.all(
    students.map((sub) =>
      signToken({ sub, role: 'student', email: `${sub}@example.edu` }, ids.jwtSecret, '6h'),
    ),
  );
  const rec = new Recorder();
  const day = 86_400_000;
  const t0 = Date.now() + T0_LEAD_MS;
  const iso = (ms: number) => new Date(ms).toISOString();
  const termRes = await topology.request('courses', `/api/terms/${plan.term_id}`, {
    method: 'PUT',
    token: admin,
    body: {
      name: 'Spring 2027 (rush)',
      registration_opens_at: iso(t0),
      add_deadline: iso(t0 + 30 * day),
      drop_deadline: iso(t0 + 40 * day),
      withdraw_deadline: iso(t0 + 50 * day),
      max_credits: 18,
      waitlist_mode: 'auto',
    },
  });
  if (termRes.status !== 201 && termRes.status !== 200)
    throw new Error(`PUT /api/terms: ${termRes.status} ${JSON.stringify(termRes.body)}`);
  const early = await topology.request('enrollments', '/api/registrations', {
    method: 'POST',
    token: tokens[0],
    body: { add: plan.carts[0] },
  });
  h.log(`before T0 a submit answers ${early.status} ${early.body?.code}`);
  rec.count(early);
  h.progress(`window opens at ${iso(t0)}; ${opts.students} carts then`);
  await new Promise((r) => setTimeout(r, Math.max(0, t0 - Date.now() + 20)));

  // The rush: every student at once.
  const requestMs: number[] = [];
  const studentMs: number[] = [];
  const lines: Line[] = [];
  let resubmittingStudents = 0;
  let emailing201 = 0;
  const rushStart = performance.now();
  let answered = 0;
  const ticker = setInterval(
    () =>
      h.log(
        `${Math.round((performance.now() - rushStart) / 1000)} s: ${answered}/${opts.students} students answered, ${rec.requests} requests, ${rec.retries} retried`,
      ),
    10_000,
  );
  await Promise.all(
    plan.carts.map(async (cart, user) => {
      const started = performance.now();
      const token = tokens[user];
      const submitCart = (add: string[]) => {
        const key = randomUUID(); // one key per cart: a changed cart is another request
        return send(rec, requestMs, () =>
          topology.request('enrollments', '/api/registrations', {
            method: 'POST',
            token,
            body: { add, waitlist: true },
            headers: { 'idempotency-key': key },
          }),
        );
      };
      let remaining = [...cart];
      for (let round = 1; ; round++) {
        const res = await submitCart(remaining);
        if (res.status === 201) {
          emailing201++;
          for (const r of res.body.results as { course_id: string; status: string }[]) {
            lines.push({ user, course_id: r.course_id, status: r.status });
          }
          break;
        }
        // A cart is all or nothing: a student takes the refused lines out and submits the rest
        // again (DESIGN §8), as Banner's registration page has them do, a few times at most.
        const refused = refusedLines(res.body, remaining);
        for (const [course_id, code] of refused) lines.push({ user, course_id, status: code });
        remaining = remaining.filter((c) => !refused.has(c));
        if (round === 1 && refused.size > 0 && remaining.length > 0) resubmittingStudents++;
        if (refused.size === 0 || remaining.length === 0 || round >= RESUBMITS) {
          for (const course_id of remaining)
            lines.push({ user, course_id, status: `${res.body?.code ?? res.status}` });
          break;
        }
      }
      studentMs.push(performance.now() - started);
      answered++;
    }),
  ).finally(() => clearInterval(ticker));
  const rushMs = performance.now() - rushStart;
  h.progress(`rush answered in ${(rushMs / 1000).toFixed(1)} s`);

  const rejected: Record<string, number> = {};
  for (const l of lines)
    if (l.status !== 'enrolled' && l.status !== 'waitlisted')
      rejected[l.status] = (rejected[l.status] ?? 0) + 1;

  // What DynamoDB holds after the rush (the answers undercount writes that committed under a 503).
  const afterRush = await getCourses(
    infra.dynamo,
    tables,
    plan.sections.map((s) => s.course_id),
  );
  const stored = { enrolled: 0, waitlisted: 0 };
  for (const c of afterRush.values()) {
    stored.enrolled += c.enrolled_count as number;
    stored.waitlisted += c.waitlist_count as number;
  }

  // The waitlists as they stand before any seat is freed.
  const popular = plan.sections.filter((s) => s.popular);
  const before = new Map<string, WaitlistEntry[]>();
  for (const s of popular)
    before.set(s.course_id, await waitlistOf(infra.dynamo, tables, s.course_id));

  // Drops: a share of the enrolled lines, all at once.
  const enrolledLines = lines.filter((l) => l.status === 'enrolled');
  const drops = pickDrops(enrolledLines, plan.sections, RUSH_SEED + 1);
  const dropMs: number[] = [];
  let dropped = 0;
  h.progress(`dropping ${drops.length} enrollments`);
  await Promise.all(
    drops.map(async (d) => {
      const res = await send(rec, dropMs, () =>
        topology.request('enrollments', `/api/enrollments/${encodeURIComponent(d.course_id)}`, {
          method: 'DELETE',
          token: tokens[d.user],
        }),
      );
      if (res.status === 204) dropped++;
    }),
  );
  const dropsDone = performance.now();

  // The drain: every freed seat with a waiter filled, and one email per change at the sink.
  const promotedCount = async () =>
    (await Promise.all(popular.map((s) => historyOf(infra.dynamo, tables, s.course_id)))).reduce(
      (n, hs) => n + hs.filter((e) => e.type === 'promoted').length,
      0,
    );
  const uniqueIds = () => new Set(infra.sink.messages.map((m) => m.messageId)).size;
  let drainMs: number | null = null;
  let expectedEmails = 0;
  let seen = -1;
  let changedAt = performance.now();
  const deadline = performance.now() + DRAIN_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const counters = await getCourses(
      infra.dynamo,
      tables,
      popular.map((s) => s.course_id),
    );
    const settled = popular.every((s) => {
      const c = counters.get(s.course_id)!;
      return (c.enrolled_count as number) >= s.capacity || (c.waitlist_count as number) === 0;
    });
    // A lower bound: writes that committed under a 503 email too (the final check counts History).
    expectedEmails = emailing201 + dropped + (await promotedCount());
    const unique = uniqueIds();
    if (unique !== seen) {
      seen = unique;
      changedAt = performance.now();
    }
    // Drained: settled, at least the answered changes emailed, and no new email for 3 s.
    if (settled && unique >= expectedEmails && performance.now() - changedAt >= 3000) {
      const last = Math.max(...infra.sink.messages.map((m) => m.receivedAt.getTime()));
      drainMs = Math.max(0, last - (performance.timeOrigin + dropsDone));
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  h.progress(drainMs === null ? 'drain timed out' : `drained in ${(drainMs / 1000).toFixed(1)} s`);

  // Read back: counters by key, enrolled rows through EnrollmentsByCourse, History by HistoryByCourse.
  const counters = await getCourses(
    infra.dynamo,
    tables,
    plan.sections.map((s) => s.course_id),
  );
  const readback: SectionReadback[] = [];
  await forEachConcurrent(plan.sections, 8, async (s) => {
    const c = counters.get(s.course_id)!;
    const rows = await queryAll(infra.dynamo, {
      TableName: tables.enrollments,
      IndexName: GSI.enrollmentsByCourse,
      KeyConditionExpression: 'course_id = :c',
      FilterExpression: 'attribute_not_exists(#s) OR #s = :enrolled',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':c': s.course_id, ':enrolled': 'enrolled' },
      Select: 'COUNT',
    });
    readback.push({
      course_id: s.course_id,
      capacity: s.capacity,
      enrolled_count: c.enrolled_count as number,
      enrolled_rows: rows.count,
      waitlist_count: c.waitlist_count as number,
    });
  });
  let outOfOrder = 0;
  let waitlistPass = true;
  const failedPromotions: string[] = [];
  const latencies: number[] = [];
  let promoted = 0;
  let expectedPromotions = 0;
  for (const s of popular) {
    const history = await historyOf(infra.dynamo, tables, s.course_id);
    const w = waitlistInJoinOrder(before.get(s.course_id)!, history);
    outOfOrder += w.out_of_order;
    waitlistPass &&= w.pass;
    // Seats freed: History's dropped entries (a drop that committed under a timeout or a 503 counts).
    const freed = history.filter((e) => e.type === 'dropped').length;
    const p = promotionsInOrder(before.get(s.course_id)!, history, freed);
    promoted += p.promoted;
    expectedPromotions += p.expected;
    if (!p.pass) failedPromotions.push(`${s.course_id} (${p.promoted}/${p.expected})`);
    latencies.push(...promotionLatenciesMs(history));
  }
  // Expected emails from each student's History (a Query by key each), not from the answers.
  expectedEmails = 0;
  await forEachConcurrent(students, 16, async (user) => {
    const { items } = await queryAll(infra.dynamo, {
      TableName: tables.history,
      KeyConditionExpression: 'user_id = :u',
      ExpressionAttributeValues: { ':u': user },
    });
    expectedEmails += emailsImplied(
      items.map((i) => ({
        event_id: i.event_id as string,
        type: i.type as string,
        user_id: user,
        at: i.at as string,
      })),
    );
  });
  const status5xx = Object.entries(rec.byStatus)
    .filter(([k]) => Number(k.split(' ')[0]) >= 500 && !k.startsWith('503'))
    .reduce((n, [, v]) => n + v, 0);
  const sum = (prefix: string) =>
    Object.entries(rec.byStatus)
      .filter(([k]) => k.split(' ')[0] === prefix)
      .reduce((n, [, v]) => n + v, 0);

  const cpu = cpus();
  const result: RushResult = {
    generated_at: new Date().toISOString(),
    machine: {
      cpus: cpu.length,
      cpu_model: cpu[0]?.model.trim() ?? 'unknown',
      node: process.version,
    },
    setup: {
      students: opts.students,
      quick: opts.quick,
      seed: RUSH_SEED,
      instances: { ...INSTANCES },
      sections: plan.sections.length,
      popular_sections: popular.length,
      seats: plan.sections.reduce((n, s) => n + s.capacity, 0),
      waitlist_places: plan.sections.reduce((n, s) => n + s.waitlist_capacity, 0),
      cart_lines: plan.carts.reduce((n, c) => n + c.length, 0),
      max_attempts: MAX_ATTEMPTS,
      max_cart_submits: RESUBMITS,
      app_limits: {
        RATE_LIMIT_WRITES: 'default (30/min)',
        DYNAMODB_MAX_INFLIGHT_WRITES: 'default (64)',
      },
    },
    outcomes: {
      enrolled: enrolledLines.length,
      waitlisted: lines.filter((l) => l.status === 'waitlisted').length,
      rejected,
      resubmitting_students: resubmittingStudents,
      stored,
    },
    http: {
      requests: rec.requests,
      by_status: rec.byStatus,
      status_429: sum('429'),
      status_503: sum('503'),
      status_5xx: status5xx,
      no_answer: sum('0'),
      retries: rec.retries,
      gave_up: rec.gaveUp,
    },
    submit: {
      request: summarize(requestMs),
      student: summarize(studentMs),
      rush_ms: Math.round(rushMs),
    },
    drops: { count: drops.length, latency: summarize(dropMs) },
    promotions: { count: promoted, expected: expectedPromotions, latency: summarize(latencies) },
    checks: {
      no_5xx: status5xx === 0,
      seats: checkSeats(readback.sort((a, b) => a.course_id.localeCompare(b.course_id))),
      waitlist_order: { pass: waitlistPass, sections: popular.length, out_of_order: outOfOrder },
      promotions_order: {
        pass: failedPromotions.length === 0,
        sections: popular.length,
        failed: failedPromotions,
      },
      emails: checkEmails(
        infra.sink.messages.map((m) => m.messageId),
        expectedEmails,
      ),
    },
    drain_ms: drainMs === null ? null : Math.round(drainMs),
  };
  const json = JSON.stringify(result, null, 2) + '\n';
  const md = renderRushMarkdown(result);
  const files = [
    join(resultsDir, `rush-${stamp}.json`),
    join(resultsDir, 'rush-latest.json'),
    join(resultsDir, `rush-${stamp}.md`),
    join(resultsDir, 'rush-latest.md'),
  ];
  writeFileSync(files[0], json);
  writeFileSync(files[1], json);
  writeFileSync(files[2], md);
  writeFileSync(files[3], md);
  const verdicts = rushVerdicts(result);
  return {
    files,
    pass: verdicts.every((v) => v.pass),
    summary: verdicts.map((v) => `${v.pass ? 'PASS' : 'FAIL'}  ${v.name}: ${v.detail}`).join('\n'),
  };
}
