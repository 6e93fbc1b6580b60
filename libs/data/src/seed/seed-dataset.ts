import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { courseIndexKeys } from '../courses/course.types';
import { batchWriteAll } from '../kit/batch-write';
import { GSI, Tables } from '../tables';
import { Term, TERM_DEFAULTS } from '../terms/term.types';
import { TERM_PARTITION } from '../terms/terms.repository';
import { Dataset, generateDataset, SeedOptions, semesterIds } from './dataset';

export interface SeedProgress {
  table: keyof Tables;
  /** Items written so far, over all tables. */
  written: number;
  total: number;
}

export interface SeedSummary {
  students: number;
  instructors: number;
  courses: number;
  enrollments: number;
  semesters: string[];
}

/** Batches in flight at once: enough to keep DynamoDB Local's threads busy. */
const WRITE_CONCURRENCY = 8;

/**
 * Generates the dataset and writes it with BatchWrite (users, then courses, then enrollments).
 * Ids are deterministic, so running it again with the same options rewrites the same items.
 */
export async function seedDataset(
  doc: DynamoDBDocumentClient,
  tables: Tables,
  options: Partial<SeedOptions> = {},
  onProgress: (p: SeedProgress) => void = () => undefined,
): Promise<SeedSummary> {
  const data = generateDataset(options);
  const writes: [keyof Tables, Record<string, unknown>[]][] = [
    ['users', data.users as unknown as Record<string, unknown>[]],
    ['courses', data.courses.map((c) => ({ ...c, ...courseIndexKeys(c) }))],
    ['enrollments', data.enrollments as unknown as Record<string, unknown>[]],
    ['terms', demoTerms(data.semesters, new Date()).map((t) => ({ pk: TERM_PARTITION, ...t }))],
  ];
  const total = writes.reduce((sum, [, items]) => sum + items.length, 0);
  let written = 0;
  for (const [table, items] of writes) {
    await batchWriteAll(doc, tables[table], items, {
      concurrency: WRITE_CONCURRENCY,
      onBatch: (n) => onProgress({ table, written: (written += n), total }),
    });
  }
  return summarize(data);
}

/**
 * Whether the seed's first semester already has courses: one Limit-1 Query on the catalog index,
 * cheap on any table size (never a Scan).
 */
export async function hasSeedData(
  doc: DynamoDBDocumentClient,
  tables: Pick<Tables, 'courses'>,
): Promise<boolean> {
  const res = await doc.send(
    new QueryCommand({
      TableName: tables.courses,
      IndexName: GSI.coursesBySemester,
      KeyConditionExpression: 'semester_id = :s',
      ExpressionAttributeValues: { ':s': semesterIds(1)[0] },
      ProjectionExpression: 'course_id',
      Limit: 1,
    }),
  );
  return (res.Items ?? []).length > 0;
}

function summarize(data: Dataset): SeedSummary {
  const count = (role: string) => data.users.filter((u) => u.role === role).length;
  return {
    students: count('student'),
    instructors: count('instructor'),
    courses: data.courses.length,
    enrollments: data.enrollments.length,
    semesters: data.semesters,
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A calendar per seeded semester that is open when the seed runs (for the demo and the benchmark):
 * registration opened a week ago (seniors two days before everyone), adds until a year from now,
 * drops until 380 days, withdrawals until 400: a demo database keeps working for a year.
 */
export function demoTerms(semesters: readonly string[], now: Date): Term[] {
  const at = (days: number) => new Date(now.getTime() + days * DAY_MS).toISOString();
  return semesters.map((term_id) => ({
    term_id,
    name: term_id.replace(
      /^(\d{4})-(\w)(\w+)$/,
      (_, y, f, rest) => `${f}${rest.toLowerCase()} ${y}`,
    ),
    registration_opens_at: at(-7),
    priority_windows: [{ group: 'senior', opens_at: at(-9) }],
    add_deadline: at(365),
    drop_deadline: at(380),
    withdraw_deadline: at(400),
    ...TERM_DEFAULTS,
    updated_at: now.toISOString(),
  }));
}
