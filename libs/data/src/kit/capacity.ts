import { Injectable } from '@nestjs/common';
import { ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { counter } from '@app/common';

type Consumed = ConsumedCapacity | ConsumedCapacity[] | undefined;

const readUnits = counter(
  'dynamodb_consumed_read_capacity_total',
  'Read capacity units consumed (ReturnConsumedCapacity=TOTAL), by table and operation',
  ['table', 'operation'],
);
const writeUnits = counter(
  'dynamodb_consumed_write_capacity_total',
  'Write capacity units consumed (ReturnConsumedCapacity=TOTAL), by table and operation',
  ['table', 'operation'],
);

const requests = counter(
  'dynamodb_requests_total',
  'DynamoDB commands sent (an SDK retry is not counted again), by operation',
  ['operation'],
);

/**
 * Counts every command the client sends, by operation (`GetItem`, `TransactWriteItems`...): what a
 * request costs the database in round trips, beside the capacity units it consumed.
 */
export function countRequests(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => (args) => {
      requests.inc({ operation: (context.commandName ?? 'unknown').replace(/Command$/, '') });
      return next(args);
    },
    { step: 'initialize', name: 'countDynamoDbRequests' },
  );
}

/**
 * Adds the ConsumedCapacity a call reported to Prometheus counters; a load test divides them by
 * its request count. Stateless over prom-client's default registry, so every instance feeds the
 * same series and code outside Nest (the kit, scripts) can use `capacityMeter`.
 */
@Injectable()
export class CapacityMeter {
  read(operation: string, consumed: Consumed): void {
    add(readUnits, operation, consumed);
  }

  write(operation: string, consumed: Consumed): void {
    add(writeUnits, operation, consumed);
  }
}

/** The process-wide meter, for callers without dependency injection. */
export const capacityMeter = new CapacityMeter();

function add(metric: typeof readUnits, operation: string, consumed: Consumed): void {
  if (!consumed) return;
  for (const c of Array.isArray(consumed) ? consumed : [consumed]) {
    if (c.CapacityUnits)
      metric.inc({ table: c.TableName ?? 'unknown', operation }, c.CapacityUnits);
  }
}
