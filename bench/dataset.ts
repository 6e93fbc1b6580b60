import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbClients, tableNames } from '@app/data';
import { Dataset, generateDataset, SeedOptions, seedDataset } from '@app/data/seed';
import { dropTables, migrate } from '@app/data/migrations';
import type { Log } from './stack';
import { checkEligibility } from '@app/registration';
import { mulberry32, shuffled } from './zipf';

/** Bump when the generator or the tables change in a way that needs a reseed. */
const DATASET_VERSION = 2; // 2: StudentEnrollments, section fields, terms
const MARKER_USER_ID = '__bench_dataset__';

export const SEED = 42;

/**
 * Migrates the prefix's tables and seeds them unless a marker item says this exact dataset is
 * already there (one GetItem, never a Scan). Returns the dataset as generated: the harness knows
 * every id and count without reading the tables.
 */
export async function ensureDataset(
  dynamo: DynamoDbClients,
  prefix: string,
  options: SeedOptions,
  log: Log,
): Promise<{ data: Dataset; seeded: boolean }> {
  const tables = tableNames(prefix);
  const fingerprint = JSON.stringify({ version: DATASET_VERSION, ...options });
  await migrate(dynamo.client, prefix, log);
  const marker = await dynamo.doc.send(
    new GetCommand({
      TableName: tables.users,
      Key: { user_id: MARKER_USER_ID },
      ConsistentRead: true,
    }),
  );
  const data = generateDataset(options);
  if (marker.Item?.fingerprint === fingerprint) return { data, seeded: false };
  if (marker.Item) {
    // Another dataset (other sizes, an older generator): its items would linger beside the new ones.
    log(`${prefix}* holds another dataset; dropping its tables`);
    await dropTables(dynamo.client, prefix);
    await migrate(dynamo.client, prefix, log);
  }

  const started = performance.now();
  let lastLog = 0;
  await seedDataset(dynamo.doc, tables, options, (p) => {
    const now = performance.now();
    if (now - lastLog < 3000 && p.written !== p.total) return;
    lastLog = now;
    log(`seeding ${prefix}: ${p.written}/${p.total} items (${p.table})`);
  });
  // Written last: an interrupted seed leaves no marker, and the next run seeds again (puts are idempotent).
  await dynamo.doc.send(
    new PutCommand({
      TableName: tables.users,
      Item: { user_id: MARKER_USER_ID, role: 'bench-marker', fingerprint },
    }),
  );
  log(`seeded ${prefix} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { data, seeded: true };
}

export interface PairCandidate {
  user_id: string;
  course_id: string;
}

/**
 * (student, course) pairs for the enroll/drop mix: courses with at least `minFree` free seats,
 * each used once, with a student not already enrolled in it who may take it under the
 * registration rules (prerequisites, meeting times, credits; the seeded terms are open), so every
 * enroll measures the write, not a 422; students drawn from `students`.
 */
export function pickEnrollPairs(
  data: Dataset,
  students: readonly string[],
  count: number,
  seed: number,
  minFree = 2,
): PairCandidate[] {
  const random = mulberry32(seed);
  const enrolled = new Set(data.enrollments.map((e) => e.enrollment_id));
  const byId = new Map(data.courses.map((c) => [c.course_id, c]));
  const schedules = new Map<string, { status: 'enrolled'; section: (typeof data.courses)[0] }[]>();
  for (const e of data.enrollments) {
    const rows = schedules.get(e.user_id) ?? [];
    rows.push({ status: 'enrolled', section: byId.get(e.course_id)! });
    schedules.set(e.user_id, rows);
  }
  const eligible = (user_id: string, course: (typeof data.courses)[0]) =>
    checkEligibility({
      student: { user_id, completed_courses: [], holds: [] },
      termId: course.semester_id,
      term: null, // the seeded terms are open; their credit limit is the default
      defaultMaxCredits: 18,
      schedule: schedules.get(user_id) ?? [],
      adds: [course],
      drops: [],
      permits: [],
      now: new Date(),
    }).length === 0;
  const courses = shuffled(
    data.courses.filter((c) => c.capacity - c.enrolled_count >= minFree),
    random,
  );
  // One student per pair (round robin when there are fewer students than pairs), each course used once.
  const pairs: PairCandidate[] = [];
  const used = new Set<number>();
  for (let k = 0; pairs.length < count && k < count * 10 && students.length > 0; k++) {
    const user_id = students[k % students.length];
    const i = courses.findIndex(
      (c, idx) =>
        !used.has(idx) && !enrolled.has(`${user_id}#${c.course_id}`) && eligible(user_id, c),
    );
    if (i < 0) continue;
    used.add(i);
    pairs.push({ user_id, course_id: courses[i].course_id });
  }
  if (pairs.length < count)
    throw new Error(`only ${pairs.length} enroll/drop pairs available, ${count} wanted`);
  return pairs;
}

/** Student ids of the dataset (`u00001`..), in order. */
export const studentIds = (data: Dataset) =>
  data.users.filter((u) => u.role === 'student').map((u) => u.user_id);
