import {
  AttributeValue,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ThrottlingException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * What DynamoDB Local never does and AWS does: cancel a transaction for a conflict or a throttled
 * partition, throttle a call, or hand back a batch's keys unprocessed.
 */
export type DynamoDbFault =
  | 'TransactionConflict'
  | 'ThrottlingError'
  | 'ProvisionedThroughputExceededException'
  | 'ThrottlingException'
  | 'RequestLimitExceeded'
  | 'UnprocessedKeys'
  /** A slow answer: the call goes through after `delayMs`. */
  | 'Delay'
  /** The call goes through (a write commits), then its answer is lost: the SDK's client-side timeout. */
  | 'TimeoutAfterCommit';

export interface FaultPlan {
  /** The low-level command to fail, e.g. 'TransactWriteItemsCommand', 'BatchGetItemCommand'. */
  command: string;
  fault: DynamoDbFault;
  /** Only calls whose (marshalled) input this accepts are planned; default every call of `command`. */
  matches?: (input: Record<string, unknown>) => boolean;
  /** How many calls to fail before letting calls through; default every call. */
  times?: number;
  /** For 'Delay': how long each planned call is held. */
  delayMs?: number;
  /** The share of calls to fail (0-1), drawn from `random`; default 1. */
  fraction?: number;
  random?: () => number;
}

export interface InjectedFaults {
  /** Calls failed so far. */
  readonly count: number;
  /** Calls of the planned command seen so far (failed or not). */
  readonly calls: number;
  remove(): void;
}

type Args = { input: Record<string, unknown> };

const NAME = 'testFaultInjection';

/**
 * Adds a middleware to a DynamoDB client (the app's own: `app.get(DYNAMODB_CLIENT)`) that fails
 * planned calls the way AWS does. It sits after the SDK's retry middleware, so the SDK retries a
 * throttling error as it would a real one, and what the app sees is what it would see on AWS.
 * Transaction cancellations carry one reason per item: the fault on the first, 'None' on the rest.
 */
export function injectDynamoDbFaults(client: DynamoDBClient, plan: FaultPlan): InjectedFaults {
  const random = plan.random ?? Math.random;
  const state = { count: 0, calls: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== plan.command) return next(args);
      const input = (args as unknown as Args).input;
      if (plan.matches && !plan.matches(input)) return next(args);
      state.calls += 1;
      const due = state.count < (plan.times ?? Infinity) && random() < (plan.fraction ?? 1);
      if (!due) return next(args);
      state.count += 1;
      if (plan.fault === 'TimeoutAfterCommit') {
        await next(args);
        // What @smithy/node-http-handler throws when requestTimeout passes; the SDK retries it.
        throw Object.assign(new Error('the request exceeded its requestTimeout (injected)'), {
          name: 'TimeoutError',
        });
      }
      if (plan.fault === 'Delay') {
        await new Promise((r) => setTimeout(r, plan.delayMs ?? 1000));
        return next(args);
      }
      if (plan.fault === 'UnprocessedKeys') {
        // The call happens, then DynamoDB "processed" none of it: every requested key comes back
        // unprocessed (in the document form the caller sees; the request here is already marshalled).
        const result = await next(args);
        const requested = input.RequestItems as Record<
          string,
          { Keys: Record<string, AttributeValue>[] }
        >;
        Object.assign(result.output as object, {
          Responses: {},
          UnprocessedKeys: Object.fromEntries(
            Object.entries(requested).map(([table, r]) => [
              table,
              { ...r, Keys: r.Keys.map((k) => unmarshall(k)) },
            ]),
          ),
        });
        return result;
      }
      throw faultError(plan.fault, (input.TransactItems as unknown[] | undefined)?.length ?? 1);
    },
    { step: 'finalizeRequest', priority: 'low', name: NAME, override: true },
  );
  return {
    get count() {
      return state.count;
    },
    get calls() {
      return state.calls;
    },
    remove: () => client.middlewareStack.remove(NAME),
  };
}

function faultError(
  fault: Exclude<DynamoDbFault, 'UnprocessedKeys' | 'Delay' | 'TimeoutAfterCommit'>,
  items: number,
): Error {
  const $metadata = { httpStatusCode: 400 };
  switch (fault) {
    case 'TransactionConflict':
    case 'ThrottlingError':
      return new TransactionCanceledException({
        $metadata,
        message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${fault}]`,
        CancellationReasons: Array.from({ length: items }, (_, i) => ({
          Code: i === 0 ? fault : 'None',
        })),
      });
    case 'ProvisionedThroughputExceededException':
      return new ProvisionedThroughputExceededException({
        $metadata,
        message: 'throughput exceeded (injected)',
      });
    case 'ThrottlingException':
      return new ThrottlingException({ $metadata, message: 'rate exceeded (injected)' });
    case 'RequestLimitExceeded':
      return new RequestLimitExceeded({ $metadata, message: 'request limit exceeded (injected)' });
  }
}
