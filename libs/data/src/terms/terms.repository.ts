import { Inject, Injectable } from '@nestjs/common';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DYNAMODB_DOC_CLIENT } from '../dynamodb.tokens';
import { SYSTEM_ACTOR } from '../history/history-entry';
import { queryAll } from '../kit/query-all';
import { conditionFailed, transactWrite } from '../kit/transaction';
import { newOutboxEvent, OutboxEvent, outboxPut } from '../outbox';
import { TableNames } from '../tables';
import { Term } from './term.types';

/** The one partition every term lives in (see TERMS in table-definitions.ts). */
export const TERM_PARTITION = 'TERM';
const PK = TERM_PARTITION;

@Injectable()
export class TermsRepository {
  constructor(
    @Inject(DYNAMODB_DOC_CLIENT) private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  /**
   * Creates or replaces the term, with a silent `term.saved` event in the same transaction: its
   * enqueue schedules the term's add-deadline sweep (DESIGN §9), so a saved deadline always has its
   * job, even if this process dies before the fast path. Whether the term existed before.
   */
  async put(term: Term): Promise<{ created: boolean; event: OutboxEvent }> {
    const event = newOutboxEvent({
      type: 'term.saved',
      user_id: SYSTEM_ACTOR,
      course_id: '',
      semester_id: term.term_id,
      add_deadline: term.add_deadline,
    });
    const write = (onlyNew: boolean) =>
      transactWrite(
        this.doc,
        {
          TransactItems: [
            {
              Put: {
                TableName: this.tables.terms,
                Item: { pk: PK, ...term },
                ...(onlyNew ? { ConditionExpression: 'attribute_not_exists(term_id)' } : {}),
              },
            },
            outboxPut(this.tables, event),
          ],
        },
        ([put]) =>
          conditionFailed(put)
            ? new TermExists()
            : new Error('term save cancelled: outbox id taken'),
      );
    try {
      await write(true);
      return { created: true, event };
    } catch (err) {
      if (!(err instanceof TermExists)) throw err;
      await write(false);
      return { created: false, event };
    }
  }

  /** Strongly consistent: it fills the term's cache entry and decides registration windows. */
  async get(termId: string): Promise<Term | null> {
    const res = await this.doc.send(
      new GetCommand({
        TableName: this.tables.terms,
        Key: { pk: PK, term_id: termId },
        ConsistentRead: true,
      }),
    );
    return res.Item ? withoutKey(res.Item) : null;
  }

  /** Every term in term_id order: one Query of the terms' partition (a few dozen items). */
  async list(): Promise<Term[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tables.terms,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': PK },
      ConsistentRead: true,
    });
    return items.map(withoutKey);
  }
}

class TermExists extends Error {}

function withoutKey(item: Record<string, unknown>): Term {
  const { pk: _, ...term } = item;
  return term as unknown as Term;
}
