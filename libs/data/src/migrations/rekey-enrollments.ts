import {
  ConditionalCheckFailedException,
  DeleteTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  TableDescription,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { forEachConcurrent } from '../kit/pool';
import { tableNames } from '../tables';

/** The table this migration empties: `Enrollments`, keyed `enrollment_id` = `user_id#course_id`. */
export const LEGACY_ENROLLMENTS_TABLE = 'Enrollments';
export const REKEY_ENROLLMENTS = 'rekey-enrollments';

export interface RekeyOptions {
  /** Items per Scan page; the checkpoint is written after each page. */
  pageSize?: number;
  /** Conditional Puts in flight at once. */
  concurrency?: number;
}

export interface RekeyCheckpoint {
  migration_id: typeof REKEY_ENROLLMENTS;
  status: 'copying' | 'done';
  /** The legacy Scan's LastEvaluatedKey after the last page copied; absent before the first. */
  resume_after?: Record<string, unknown>;
  copied: number;
  /** Rows already in the new table (copied by an interrupted run, or written since). */
  already_present: number;
  updated_at: string;
}

type Log = (message: string) => void;

/**
 * Moves the rows of the legacy Enrollments table (keyed `enrollment_id`) to StudentEnrollments
 * (keyed `user_id` + `course_id`): DynamoDB cannot change a table's keys, so the rows are copied.
 *
 * - Idempotent: each row is a Put conditioned on its key being absent, so a row copied before, or
 *   written by the new code since, is never overwritten; a second run over the same rows adds nothing.
 * - Resumable: after each Scan page the position is saved in the Migrations table; a run that dies
 *   (a crash, throttling past the SDK's retries) resumes after the last page it saved.
 * - Loses nothing: the legacy table is deleted only after a second Scan has found every one of its
 *   keys in the new table. Rows written to the legacy table by the old code while the copy runs are
 *   caught by that check (the run fails and the next one copies them); stop the old version's
 *   writers, or run the migration again after they stopped, before the legacy table goes.
 */
export async function rekeyLegacyEnrollments(
  client: DynamoDBClient,
  prefix: string,
  legacy: TableDescription,
  log: Log,
  opts: RekeyOptions = {},
): Promise<void> {
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const tables = tableNames(prefix);
  const source = legacy.TableName!;
  const checkpoint = await readCheckpoint(doc, tables.migrations);
  let state: RekeyCheckpoint = checkpoint?.status === 'copying' ? checkpoint : fresh();
  log(
    state.resume_after
      ? `resuming the copy of ${source} to ${tables.enrollments} after ${state.copied + state.already_present} rows`
      : `copying ${source} (keyed enrollment_id) to ${tables.enrollments} (keyed user_id + course_id)`,
  );

  let start = state.resume_after;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: source,
        ExclusiveStartKey: start,
        Limit: opts.pageSize ?? 500,
        ConsistentRead: true,
      }),
    );
    let copied = 0;
    await forEachConcurrent(page.Items ?? [], opts.concurrency ?? 16, async (item) => {
      if (await copyRow(doc, tables.enrollments, item)) copied += 1;
    });
    const seen = (page.Items ?? []).length;
    start = page.LastEvaluatedKey;
    state = {
      ...state,
      resume_after: start,
      copied: state.copied + copied,
      already_present: state.already_present + seen - copied,
      updated_at: new Date().toISOString(),
    };
    await doc.send(new PutCommand({ TableName: tables.migrations, Item: state }));
  } while (start);

  const missing = await keysMissingFrom(doc, source, tables.enrollments);
  if (missing > 0) {
    await doc.send(new PutCommand({ TableName: tables.migrations, Item: fresh() }));
    throw new Error(
      `${missing} row(s) of ${source} are not in ${tables.enrollments} (written while the copy ran?): ` +
        `${source} is kept; run the migration again once the old version stopped writing`,
    );
  }
  await deleteTable(client, source);
  await doc.send(
    new UpdateCommand({
      TableName: tables.migrations,
      Key: { migration_id: REKEY_ENROLLMENTS },
      UpdateExpression: 'SET #status = :done, updated_at = :now REMOVE resume_after',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':done': 'done', ':now': new Date().toISOString() },
    }),
  );
  log(
    `copied ${state.copied} enrollment row(s) (${state.already_present} already present); deleted ${source}`,
  );
}

/** The row in the new layout: the legacy GSI's sort key goes, `enrollment_id` stays (the API shows it). */
function newLayout(item: Record<string, unknown>): Record<string, unknown> {
  const { semester_enrolled: _, ...row } = item;
  return row;
}

async function copyRow(
  doc: DynamoDBDocumentClient,
  table: string,
  item: Record<string, unknown>,
): Promise<boolean> {
  try {
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: newLayout(item),
        ConditionExpression: 'attribute_not_exists(user_id)',
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/** Scans the legacy keys again and counts those the new table does not hold. */
async function keysMissingFrom(
  doc: DynamoDBDocumentClient,
  source: string,
  target: string,
): Promise<number> {
  let missing = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: source,
        ExclusiveStartKey: start,
        ProjectionExpression: 'user_id, course_id',
        ConsistentRead: true,
      }),
    );
    // One GetItem per key (not a BatchGet): the migrate Job's IAM policy is derived from the
    // commands this directory sends (scripts/iam-policy.ts), and a one-off check can afford it.
    await forEachConcurrent(page.Items ?? [], 16, async (item) => {
      const res = await doc.send(
        new GetCommand({
          TableName: target,
          Key: { user_id: item.user_id, course_id: item.course_id },
          ProjectionExpression: 'user_id',
          ConsistentRead: true,
        }),
      );
      if (!res.Item) missing += 1;
    });
    start = page.LastEvaluatedKey;
  } while (start);
  return missing;
}

async function readCheckpoint(
  doc: DynamoDBDocumentClient,
  table: string,
): Promise<RekeyCheckpoint | undefined> {
  const res = await doc.send(
    new GetCommand({
      TableName: table,
      Key: { migration_id: REKEY_ENROLLMENTS },
      ConsistentRead: true,
    }),
  );
  return res.Item as RekeyCheckpoint | undefined;
}

function fresh(): RekeyCheckpoint {
  return {
    migration_id: REKEY_ENROLLMENTS,
    status: 'copying',
    copied: 0,
    already_present: 0,
    updated_at: new Date().toISOString(),
  };
}

async function deleteTable(client: DynamoDBClient, name: string): Promise<void> {
  try {
    await client.send(new DeleteTableCommand({ TableName: name }));
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
}

/** Whether a table is the legacy layout: keyed by `enrollment_id` alone. */
export function isLegacyEnrollments(table: TableDescription): boolean {
  const key = table.KeySchema ?? [];
  return key.length === 1 && key[0].AttributeName === 'enrollment_id';
}
