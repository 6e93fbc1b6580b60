import { DeleteCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  bumpSchedule,
  HistoryEntry,
  historyPut,
  newHistoryEntry,
  newOutboxEvent,
  OutboxEvent,
  outboxPut,
  tableNames,
  TableNames,
} from '@app/data';
import {
  deleteEnrollment,
  freeSeat,
  putEnrollment,
  takeSeat,
} from '@app/data/enrollments/enrollment-transact-items';
import { forEachConcurrent } from '@app/data/seed';
import { transactWrite } from '@app/data/kit/transaction';
import type { EnrollPair } from './workload';
import { round } from './stats';

/**
 * The database's own ceiling for the enroll endpoint: each worker owns an enroll pair and
 * alternates an enroll's TransactWriteItems (seat counter +1 under the capacity condition, the
 * enrollment row, the outbox event, the student's schedule item of the term, the history entry)
 * and a drop's (row, counter −1, event, schedule item, history entry), the items the enrollments
 * repository writes, built by the same functions, sent straight to the same DynamoDB Local: no
 * HTTP, auth, rules' reads or idempotency. Every row, outbox event and history entry it wrote is
 * deleted again (so no relay mails them later), and the schedule items' credits net out.
 */
export async function rawTransactRps(
  doc: DynamoDBDocumentClient,
  tablePrefix: string,
  pairs: readonly EnrollPair[],
  opts: { concurrency: number; durationS: number },
): Promise<number> {
  const tables = tableNames(tablePrefix) as TableNames;
  const workers = pairs.slice(0, opts.concurrency);
  const courses = new Map<string, Course>();
  await forEachConcurrent(workers, 20, async (p) => {
    const c = await doc.send(
      new GetCommand({ TableName: tables.courses, Key: { course_id: p.course_id } }),
    );
    courses.set(p.course_id, {
      semester_id: String(c.Item?.semester_id),
      credits: Number(c.Item?.credits ?? 0),
    });
  });
  const events: OutboxEvent[] = [];
  const history: HistoryEntry[] = [];
  const items = (p: EnrollPair, enroll: boolean) => {
    const course = courses.get(p.course_id)!;
    const event = newOutboxEvent({
      type: enroll ? 'enrollment.created' : 'enrollment.dropped',
      user_id: p.user_id,
      course_id: p.course_id,
      semester_id: course.semester_id,
    });
    const entry = newHistoryEntry({
      type: enroll ? 'enrolled' : 'dropped',
      actor: p.user_id,
      user_id: p.user_id,
      course_id: p.course_id,
      semester_id: course.semester_id,
    });
    events.push(event);
    history.push(entry);
    return (enroll ? enrollItems : dropItems)(tables, p, course, event, entry);
  };
  const enrolled = new Set<EnrollPair>();
  let done = 0;
  const deadline = performance.now() + opts.durationS * 1000;
  await Promise.all(
    workers.map(async (p) => {
      while (performance.now() < deadline) {
        const enroll = !enrolled.has(p);
        try {
          await transactWrite(
            doc,
            { TransactItems: items(p, enroll) },
            () => new Error('condition failed'),
          );
          if (enroll) enrolled.add(p);
          else enrolled.delete(p);
        } catch {
          // A full course or a conflict: counted like the endpoint's 409, the pair tries again.
        }
        done++;
      }
    }),
  );
  const rps = round(done / opts.durationS, 1);
  await forEachConcurrent([...enrolled], 20, async (p) => {
    await transactWrite(
      doc,
      { TransactItems: items(p, false) },
      () => new Error(`could not drop ${p.user_id} from ${p.course_id} again`),
    );
  });
  await forEachConcurrent(events, 20, async (e) => {
    await doc.send(new DeleteCommand({ TableName: tables.outbox, Key: { event_id: e.event_id } }));
  });
  await forEachConcurrent(history, 20, async (e) => {
    await doc.send(
      new DeleteCommand({
        TableName: tables.history,
        Key: { user_id: e.user_id, event_id: e.event_id },
      }),
    );
  });
  return rps;
}

/** What the transactions need of a pair's course. */
interface Course {
  semester_id: string;
  credits: number;
}

function enrollItems(
  tables: TableNames,
  p: EnrollPair,
  course: Course,
  event: OutboxEvent,
  entry: HistoryEntry,
) {
  return [
    takeSeat(tables, p.course_id),
    putEnrollment(tables, {
      enrollment_id: `${p.user_id}#${p.course_id}`,
      user_id: p.user_id,
      course_id: p.course_id,
      semester_id: course.semester_id,
      enrolled_at: event.occurred_at,
      status: 'enrolled',
    }),
    outboxPut(tables, event),
    // The endpoint's is conditioned on the version its rules read (guardSchedule): the same item.
    bumpSchedule(tables, p.user_id, course.semester_id, course.credits),
    historyPut(tables, entry),
  ];
}

function dropItems(
  tables: TableNames,
  p: EnrollPair,
  course: Course,
  event: OutboxEvent,
  entry: HistoryEntry,
) {
  return [
    deleteEnrollment(tables, { user_id: p.user_id, course_id: p.course_id }),
    freeSeat(tables, p.course_id),
    outboxPut(tables, event),
    bumpSchedule(tables, p.user_id, course.semester_id, -course.credits),
    historyPut(tables, entry),
  ];
}
