import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** The low-level commands that change a table. */
const WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
  'ExecuteStatementCommand',
  'BatchExecuteStatementCommand',
  'ExecuteTransactionCommand',
]);

export interface SentCommands {
  /** Every command the client has sent since the watch began, in order. */
  readonly names: readonly string[];
  /** Those of them that write. */
  readonly writes: readonly string[];
  stop(): void;
}

const NAME = 'testCommandWatch';

/**
 * Records the name of every command a DynamoDB client sends (the app's own:
 * `app.get(DYNAMODB_CLIENT)`), so a test can prove what a request read and that it wrote nothing,
 * without reading the tables whole.
 */
export function watchDynamoDbCommands(client: DynamoDBClient): SentCommands {
  const names: string[] = [];
  client.middlewareStack.add(
    (next, context) => (args) => {
      names.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: NAME, override: true },
  );
  return {
    names,
    get writes() {
      return names.filter((n) => WRITES.has(n));
    },
    stop: () => client.middlewareStack.remove(NAME),
  };
}
