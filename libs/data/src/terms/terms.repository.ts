import { Inject, Injectable } from '@nestjs/common';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DYNAMODB_DOC_CLIENT } from '../dynamodb.tokens';
import { queryAll } from '../kit/query-all';
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

  /** Creates or replaces the term; whether it existed before. */
  async put(term: Term): Promise<{ created: boolean }> {
    const res = await this.doc.send(
      new PutCommand({
        TableName: this.tables.terms,
        Item: { pk: PK, ...term },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return { created: res.Attributes === undefined };
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

function withoutKey(item: Record<string, unknown>): Term {
  const { pk: _, ...term } = item;
  return term as unknown as Term;
}
