import { DeleteCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { newOutboxEvent, OutboxEvent, outboxPut, tableNames, TableNames } from '@app/data';
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
 * enrollment row, the outbox event) and a drop's (row, counter −1, event), built by the same
 * functions as the enrollments repository's, sent straight to the same DynamoDB Local: no HTTP, auth, rules or
 * idempotency. Every row and outbox event it wrote is deleted again, so no relay mails them later.
 */
export async function rawTransactRps(
  doc: DynamoDBDocumentClient,
  tablePrefix: string,
  pairs: readonly EnrollPair[],
  opts: { concurrency: number; durationS: number },
): Promise<number> {
  const tables = tableNames(tablePrefix) as TableNames;
  const workers = pairs.slice(0, opts.concurrency);
  const semesters = new Map<string, string>();
  await forEachConcurrent(workers, 20, async (p) => {
    const c = await doc.send(
      new GetCommand({ TableName: tables.courses, Key: { course_id: p.course_id } }),
    );
    semesters.set(p.course_id, String(c.Item?.semester_id));
  });
  const events: OutboxEvent[] = [];
  const enrolled = new Set<EnrollPair>();
  let done = 0;
  const deadline = performance.now() + opts.durationS * 1000;
  await Promise.all(
    workers.map(async (p) => {
      while (performance.now() < deadline) {
        const enroll = !enrolled.has(p);
        const event = newOutboxEvent({
          type: enroll ? 'enrollment.created' : 'enrollment.dropped',
          user_id: p.user_id,
          course_id: p.course_id,
          semester_id: semesters.get(p.course_id)!,
        });
        events.push(event);
        try {
          await transactWrite(
            doc,
            { TransactItems: enroll ? enrollItems(tables, p, event) : dropItems(tables, p, event) },
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
    const event = newOutboxEvent({
      type: 'enrollment.dropped',
      user_id: p.user_id,
      course_id: p.course_id,
      semester_id: semesters.get(p.course_id)!,
    });
    events.push(event);
    await transactWrite(
      doc,
      { TransactItems: dropItems(tables, p, event) },
      () => new Error(`could not drop ${p.user_id} from ${p.course_id} again`),
    );
  });
  await forEachConcurrent(events, 20, async (e) => {
    await doc.send(new DeleteCommand({ TableName: tables.outbox, Key: { event_id: e.event_id } }));
  });
  return rps;
}

function enrollItems(tables: TableNames, p: EnrollPair, event: OutboxEvent) {
  return [
    takeSeat(tables, p.course_id),
    putEnrollment(tables, {
      enrollment_id: `${p.user_id}#${p.course_id}`,
      user_id: p.user_id,
      course_id: p.course_id,
      semester_id: event.semester_id,
      enrolled_at: event.occurred_at,
      status: 'enrolled',
    }),
    outboxPut(tables, event),
  ];
}

function dropItems(tables: TableNames, p: EnrollPair, event: OutboxEvent) {
  return [
    deleteEnrollment(tables, { user_id: p.user_id, course_id: p.course_id }),
    freeSeat(tables, p.course_id),
    outboxPut(tables, event),
  ];
}
