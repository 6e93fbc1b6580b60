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
  /** The writes as `<command> <table>` (a transaction, which spans tables, names none). */
  readonly writesTo: readonly string[];
  /** Every command as `<command> <table>` (a transaction or batch names none). */
  readonly sentTo: readonly string[];
  stop(): void;
}

const NAME = 'testCommandWatch';

/**
 * Records the name of every command a DynamoDB client sends (the app's own:
 * `app.get(DYNAMODB_CLIENT)`), so a test can prove what a request read and that it wrote nothing,
 * without reading the tables whole.
 */
export function watchDynamoDbCommands(client: DynamoDBClient): SentCommands {
  const sent: { name: string; table?: string }[] = [];
  client.middlewareStack.add(
    (next, context) => (args) => {
      const table = (args.input as { TableName?: string }).TableName;
      sent.push({ name: context.commandName ?? 'unknown', table });
      return next(args);
    },
    { step: 'initialize', name: NAME, override: true },
  );
  const named = (c: { name: string; table?: string }) =>
    c.table ? `${c.name} ${c.table}` : c.name;
  const writes = () => sent.filter((c) => WRITES.has(c.name));
  return {
    get names() {
      return sent.map((c) => c.name);
    },
    get writes() {
      return writes().map((c) => c.name);
    },
    get writesTo() {
      return writes().map(named);
    },
    get sentTo() {
      return sent.map(named);
    },
    stop: () => client.middlewareStack.remove(NAME),
  };
}
