import { Inject, Injectable, Logger } from '@nestjs/common';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { counter } from '@app/common';
import { DYNAMODB_DOC_CLIENT } from '../dynamodb.tokens';
import { CursorCodec } from '../kit/cursor';
import { Page } from '../kit/page';
import { queryPage } from '../kit/query-page';
import { WriteAdmission } from '../kit/write-admission';
import { GSI, TableNames } from '../tables';
import {
  HistoryEntry,
  historyFields,
  historyPut,
  newHistoryEntry,
  NewHistoryEntry,
} from './history-entry';

const bestEffortWrites = counter(
  'history_best_effort_writes_total',
  'History entries written outside a transaction (add_rejected), by result',
  ['type', 'result'],
);

/**
 * A student's registration history (DESIGN §8). Changes write their entry inside their own
 * transaction (historyPut); this repository reads the history, newest first, and records the
 * entries no change carries (a refused add) on a best-effort basis.
 */
@Injectable()
export class HistoryRepository {
  private readonly logger = new Logger(HistoryRepository.name);

  constructor(
    @Inject(DYNAMODB_DOC_CLIENT) private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    private readonly cursors: CursorCodec,
    private readonly admission: WriteAdmission,
  ) {}

  /**
   * A student's history, newest first: a strongly consistent Query of the base table, so the
   * change a student just made is always on the first page.
   */
  async listByUser(
    userId: string,
    opts: { limit: number; cursor?: string },
  ): Promise<Page<HistoryEntry>> {
    const { output, next_cursor } = await queryPage(this.doc, this.cursors, {
      scope: ['history-of-student', userId],
      limit: opts.limit,
      cursor: opts.cursor,
      input: {
        TableName: this.tables.history,
        ConsistentRead: true,
        ScanIndexForward: false,
        KeyConditionExpression: 'user_id = :u',
        ExpressionAttributeValues: { ':u': userId },
      },
    });
    return { items: (output.Items ?? []).map(historyFields), next_cursor };
  }

  /**
   * A course's changes, newest first, from HistoryByCourse (eventually consistent, like the
   * roster). Refused adds are only in the student's history (the index is sparse; see HISTORY).
   */
  async listByCourse(
    courseId: string,
    opts: { limit: number; cursor?: string },
  ): Promise<Page<HistoryEntry>> {
    const { output, next_cursor } = await queryPage(this.doc, this.cursors, {
      scope: ['history-of-course', courseId],
      limit: opts.limit,
      cursor: opts.cursor,
      input: {
        TableName: this.tables.history,
        IndexName: GSI.historyByCourse,
        ScanIndexForward: false,
        KeyConditionExpression: 'change_course_id = :c',
        ExpressionAttributeValues: { ':c': courseId },
      },
    });
    return { items: (output.Items ?? []).map(historyFields), next_cursor };
  }

  /**
   * Writes one entry outside any transaction, best effort: it never throws. It runs only if a
   * write slot of this instance is free at once (it never waits for one, nor makes a write a
   * caller waits for queue behind it); otherwise it is shed. A shed or failed write (DynamoDB down
   * or throttling) is logged and counted, and the entry is lost: the caller's answer must not
   * depend on it. Returns the entry, or undefined when it was lost.
   */
  async record(input: NewHistoryEntry): Promise<HistoryEntry | undefined> {
    const entry = newHistoryEntry(input);
    try {
      const put = historyPut(this.tables, entry).Put!;
      const sent = this.admission.tryRun(() => this.doc.send(new PutCommand(put)));
      if (!sent) {
        bestEffortWrites.inc({ type: entry.type, result: 'shed' });
        this.logger.warn(
          `history entry ${entry.type} of ${entry.user_id} for ${entry.course_id} shed: no write slot free`,
        );
        return undefined;
      }
      await sent;
      bestEffortWrites.inc({ type: entry.type, result: 'written' });
      return entry;
    } catch (err) {
      bestEffortWrites.inc({ type: entry.type, result: 'failed' });
      this.logger.warn(
        `history entry ${entry.type} of ${entry.user_id} for ${entry.course_id} not written: ${(err as Error).message}`,
      );
      return undefined;
    }
  }
}
