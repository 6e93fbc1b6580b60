// Runs once per jest run, in the parent process, before the workers fork: whatever it puts in
// process.env the workers inherit. Relative imports: jest's moduleNameMapper does not apply here.
import 'reflect-metadata';
import { validateEnv } from '../../libs/common/src/config/env.schema';
import {
  DynamoDbLocalHandle,
  isRedisReachable,
  startDynamoDbLocal,
} from '../../libs/local-stack/src';

declare global {
  var __DYNAMODB_LOCAL__: DynamoDbLocalHandle | undefined;
}

/** An error jest prints as its message alone, without a stack trace pointing here. */
const oneLine = (message: string) => Object.assign(new Error(message), { stack: message });

export default async function globalSetup(): Promise<void> {
  const env = validateEnv(process.env);
  if (!(await isRedisReachable(env.REDIS_URL, 1000))) {
    throw oneLine(
      `Redis is not reachable at ${env.REDIS_URL}: start Redis 6.2+ (apt-get install redis-server) or set REDIS_URL`,
    );
  }

  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  if (env.DYNAMODB_ENDPOINT) return;

  try {
    // In memory: each run starts empty, and test files isolate themselves with table prefixes.
    globalThis.__DYNAMODB_LOCAL__ = await startDynamoDbLocal({});
  } catch (err) {
    throw oneLine((err as Error).message);
  }
  process.env.DYNAMODB_ENDPOINT = globalThis.__DYNAMODB_LOCAL__.endpoint;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
}
