// Runs in jest's parent process before the workers fork: whatever it puts in process.env the
// workers inherit. Relative imports: jest's moduleNameMapper does not apply here.
//
// The int and e2e projects both name this file. Jest runs one setup path once per run, and should
// it be called again in the same process (a project naming a copy, watch mode before the teardown),
// it reuses the DynamoDB Local it started rather than starting a second one.
import 'reflect-metadata';
import { validateEnv } from '../../../common/src/config/env.schema';
import { isRedisReachable, startDynamoDbLocal } from '../../../local-stack/src';
import { ensureEntryPointsBuilt } from '../built-entry-points';
import './dynamodb-local-state';

/** An error jest prints as its message alone, without a stack trace pointing here. */
const oneLine = (message: string) => Object.assign(new Error(message), { stack: message });

/** What the setup may change in process.env, and the teardown puts back. */
const SET_BY_SETUP = [
  'DYNAMODB_ENDPOINT',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
] as const;

export default async function globalSetup(): Promise<void> {
  if (globalThis.__DYNAMODB_LOCAL__) return;

  const env = validateEnv(process.env);
  if (!(await isRedisReachable(env.REDIS_URL, 1000))) {
    throw oneLine(
      `Redis is not reachable at ${env.REDIS_URL}: start Redis 6.2+ (apt-get install redis-server) or set REDIS_URL`,
    );
  }

  // The topology drills (test/drills) run dist/apps/*/main.js: build it if a source is newer.
  ensureEntryPointsBuilt();

  const previousEnv = Object.fromEntries(SET_BY_SETUP.map((name) => [name, process.env[name]]));
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  // One the caller runs (DYNAMODB_ENDPOINT set): used as is, and left running.
  if (env.DYNAMODB_ENDPOINT) return;

  try {
    // In memory: each run starts empty, and test files isolate themselves with table prefixes.
    const handle = await startDynamoDbLocal({});
    globalThis.__DYNAMODB_LOCAL__ = { handle, previousEnv };
  } catch (err) {
    throw oneLine((err as Error).message);
  }
  process.env.DYNAMODB_ENDPOINT = globalThis.__DYNAMODB_LOCAL__.handle.endpoint;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
}
