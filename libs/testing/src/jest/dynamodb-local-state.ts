// What the global setup started, kept where the teardown finds it: both run in jest's parent
// process, which outlives every project of the run.
import type { DynamoDbLocalHandle } from '../../../local-stack/src';

declare global {
  var __DYNAMODB_LOCAL__:
    | {
        handle: DynamoDbLocalHandle;
        /** process.env as it was before the setup pointed it at this DynamoDB Local. */
        previousEnv: Record<string, string | undefined>;
      }
    | undefined;
}

export {};
