import { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { counter } from '@app/common';

const readCapacity = counter(
  'dynamodb_consumed_read_capacity_total',
  'Read capacity units consumed (ReturnConsumedCapacity=TOTAL), by table and operation',
  ['table', 'operation'],
);

/** Adds what a read reported to the metric the benchmark divides by its request count. */
export function recordReadCapacity(operation: string, consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): void {
  for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
    if (c.CapacityUnits) readCapacity.inc({ table: c.TableName ?? 'unknown', operation }, c.CapacityUnits);
  }
}
