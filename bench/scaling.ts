import {
  QueryCommand,
  QueryCommandOutput,
  ScanCommand,
  ScanCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { DynamoDbClients, GSI, tableNames } from '@app/data';
import { ensureDataset, SEED } from './dataset';
import type { ScalingResult } from './result';
import type { Log } from './stack';
import { median, round } from './stats';

export const SCALING_SEMESTER = '2026-FALL';
export const SCALING_DEPARTMENT = 'CS';

export const scalingPrefix = (courses: number) => `bench_scale_${courses}_`;

/** Courses per (semester, department) at every size: the listed result stays the same, only the table grows. */
export const COURSES_PER_LIST = 125;
const SEMESTERS = 4;

/** Departments such that each semester's department list holds COURSES_PER_LIST courses. */
export const scalingDepartments = (courses: number) =>
  Math.max(1, Math.round(courses / (SEMESTERS * COURSES_PER_LIST)));

interface Measured {
  ms: number;
  rcu: number;
  items: number;
  pages: number;
}

type Page = Pick<
  ScanCommandOutput | QueryCommandOutput,
  'Items' | 'LastEvaluatedKey' | 'ConsumedCapacity'
>;

/** Reads every page, timing the whole list and summing the capacity each page reports. */
async function readAll(
  fetchPage: (start?: Record<string, unknown>) => Promise<Page>,
): Promise<Measured> {
  const t0 = performance.now();
  let start: Record<string, unknown> | undefined;
  let rcu = 0;
  let items = 0;
  let pages = 0;
  do {
    const res = await fetchPage(start);
    rcu += res.ConsumedCapacity?.CapacityUnits ?? 0;
    items += res.Items?.length ?? 0;
    pages++;
    start = res.LastEvaluatedKey;
  } while (start);
  return { ms: performance.now() - t0, rcu, items, pages };
}

/** One department of one semester by Scan + FilterExpression, paginated to completion (the "before"). */
export function scanList(
  dynamo: DynamoDbClients,
  table: string,
  semester: string,
  department: string,
): Promise<Measured> {
  return readAll((start) =>
    dynamo.doc.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'semester_id = :s AND department_id = :d',
        ExpressionAttributeValues: { ':s': semester, ':d': department },
        ExclusiveStartKey: start,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    ),
  );
}

/** The same list by the CoursesBySemester GSI (the "after"). */
export function queryList(
  dynamo: DynamoDbClients,
  table: string,
  semester: string,
  department: string,
): Promise<Measured> {
  return readAll((start) =>
    dynamo.doc.send(
      new QueryCommand({
        TableName: table,
        IndexName: GSI.coursesBySemester,
        KeyConditionExpression: 'semester_id = :s AND begins_with(dept_code, :d)',
        ExpressionAttributeValues: { ':s': semester, ':d': `${department}#` },
        ExclusiveStartKey: start,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    ),
  );
}

/**
 * Scan vs Query at each table size: courses only (no enrollments), one prefix per size, reused
 * across runs. The number of departments grows with the table so that the listed department holds
 * the same ~125 courses at every size: Query cost stays flat, Scan cost follows the table.
 * Median latency over `runs` lists after one untimed warm-up of each.
 */
export async function runScaling(
  dynamo: DynamoDbClients,
  sizes: readonly number[],
  runs: number,
  progress: (line: string) => void,
  log: Log,
): Promise<ScalingResult[]> {
  const results: ScalingResult[] = [];
  for (const courses of sizes) {
    const prefix = scalingPrefix(courses);
    progress(`scaling: ${courses} courses (preparing ${prefix}*)`);
    const departments = scalingDepartments(courses);
    await ensureDataset(
      dynamo,
      prefix,
      { users: 0, courses, enrollments: 0, semesters: SEMESTERS, departments, seed: SEED },
      log,
    );
    const table = tableNames(prefix).courses;
    progress(`scaling: ${courses} courses, ${runs} × Scan and Query`);
    const scan: Measured[] = [];
    const query: Measured[] = [];
    await scanList(dynamo, table, SCALING_SEMESTER, SCALING_DEPARTMENT);
    await queryList(dynamo, table, SCALING_SEMESTER, SCALING_DEPARTMENT);
    // Interleaved, so a hiccup of the machine hits both strategies alike.
    for (let i = 0; i < runs; i++) {
      scan.push(await scanList(dynamo, table, SCALING_SEMESTER, SCALING_DEPARTMENT));
      query.push(await queryList(dynamo, table, SCALING_SEMESTER, SCALING_DEPARTMENT));
    }
    if (scan[0].items !== query[0].items) {
      log(
        `scaling ${courses}: Scan found ${scan[0].items} courses but Query ${query[0].items} — the GSI and the filter disagree`,
      );
    }
    const r: ScalingResult = {
      courses,
      scan_ms: round(median(scan.map((m) => m.ms))),
      query_ms: round(median(query.map((m) => m.ms))),
      scan_rcu: round(median(scan.map((m) => m.rcu))),
      query_rcu: round(median(query.map((m) => m.rcu))),
    };
    log(
      `scaling ${courses}: Scan ${r.scan_ms} ms / ${r.scan_rcu} RCU (${scan[0].pages} pages), ` +
        `Query ${r.query_ms} ms / ${r.query_rcu} RCU, ${query[0].items} courses listed`,
    );
    results.push(r);
  }
  return results;
}
