import { DynamoDBDocumentClient, QueryCommandInput, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { CapacityMeter } from '../kit/capacity';

/**
 * BENCHMARK BASELINE ONLY (BENCH_LIST_STRATEGY=scan): a list answered by Scan + filter over the
 * whole table, read to completion, as the write-up's "before" did. Never used by default; it is
 * here so the benchmark measures what the GSI Query saves.
 */
export async function scanBaselineList(
  doc: DynamoDBDocumentClient,
  meter: CapacityMeter,
  table: string,
  limit: number,
  query: Pick<QueryCommandInput, 'KeyConditionExpression' | 'ExpressionAttributeValues'>,
): Promise<Record<string, unknown>[]> {
  // A key condition is also a valid filter expression (begins_with and = both filter).
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await doc.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: query.KeyConditionExpression,
        ExpressionAttributeValues: query.ExpressionAttributeValues,
        ExclusiveStartKey: start,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    meter.read('Scan', res.ConsumedCapacity);
    items.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start);
  const sortKey = (i: Record<string, unknown>) => `${i.dept_code ?? ''}${i.semester_code ?? ''}`;
  items.sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  return items.slice(0, limit);
}
