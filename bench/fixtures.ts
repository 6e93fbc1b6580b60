import { signToken } from '@app/auth';
import { forEachConcurrent, SeedOptions } from '@app/data/seed';
import { ensureDataset, pickEnrollPairs, SEED, studentIds } from './dataset';
import type { Harness } from './harness';
import type { BenchOptions, EndpointName } from './options';
import type { RunStack } from './session';
import type { Log } from './stack';
import {
  detailWorkload,
  enrollWorkload,
  EnrollPair,
  listKeys,
  listWorkload,
  myEnrollmentsWorkload,
  RequestsFor,
} from './workload';

const MY_ENROLLMENTS_STUDENTS = 500;

/** What the endpoints' workloads draw from: the seeded dataset's keys and ids, and signed tokens. */
export interface Fixtures {
  keys: ReturnType<typeof listKeys>;
  courseIds: string[];
  tokens: string[];
  pairs: EnrollPair[];
}

/** Migrates and seeds the dataset unless it is there already, then derives the fixtures from it. */
export async function prepareFixtures(
  h: Harness,
  { infra, ids }: Pick<RunStack, 'infra' | 'ids'>,
  opts: BenchOptions,
  dataOptions: SeedOptions,
): Promise<Fixtures> {
  h.progress(
    `dataset: ${opts.dataset.courses} courses, ${opts.dataset.users} users, ${opts.dataset.enrollments} enrollments`,
  );
  const { data, seeded } = await ensureDataset(infra.dynamo, ids.tablePrefix, dataOptions, h.log);
  if (!seeded)
    h.log(`dataset already present under ${ids.tablePrefix}* (marker item matches), not reseeded`);
  const students = studentIds(data);
  const tokenOf = (sub: string) =>
    signToken({ sub, role: 'student', email: `${sub}@example.edu` }, ids.jwtSecret, '6h');
  // Readers are the first students, enroll/drop pairs use the last ones: the mixes never touch each other's users.
  const readers = students.slice(
    0,
    Math.min(MY_ENROLLMENTS_STUDENTS, Math.floor(students.length / 2)),
  );
  const writers = students.slice(readers.length).reverse();
  const candidates = pickEnrollPairs(data, writers, opts.connections, SEED);
  return {
    keys: listKeys(data.courses),
    courseIds: data.courses.map((c) => c.course_id),
    tokens: await Promise.all(readers.map(tokenOf)),
    pairs: await Promise.all(
      candidates.map(async (p) => ({ ...p, token: await tokenOf(p.user_id) })),
    ),
  };
}

/** The fixtures' sizes, as recorded in the results' dataset. */
export function fixtureCounts(f: Fixtures): Record<string, number> {
  return {
    list_keys: f.keys.length,
    my_enrollments_students: f.tokens.length,
    enroll_pairs: f.pairs.length,
  };
}

export function workloadOf(endpoint: EndpointName, f: Fixtures): RequestsFor {
  switch (endpoint) {
    case 'list':
      return listWorkload(f.keys, SEED);
    case 'detail':
      return detailWorkload(f.courseIds, SEED + 1);
    case 'my_enrollments':
      return myEnrollmentsWorkload(f.tokens);
    case 'enroll':
      return enrollWorkload(f.pairs);
  }
}

/** Drops every enroll/drop pair again (204 or 404 are both fine): the dataset ends as it started. */
export async function dropPairs(baseUrl: string, pairs: EnrollPair[], log: Log): Promise<void> {
  const odd: string[] = [];
  await forEachConcurrent(pairs, 20, async (p) => {
    const res = await fetch(`${baseUrl}/api/enrollments/${encodeURIComponent(p.course_id)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${p.token}` },
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer();
    if (res.status !== 204 && res.status !== 404)
      odd.push(`${p.user_id}/${p.course_id}: ${res.status}`);
  });
  if (odd.length > 0)
    log(
      `dropping the enroll pairs: ${odd.length} unexpected answers, e.g. ${odd.slice(0, 3).join(', ')}`,
    );
}
