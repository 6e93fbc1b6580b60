// Helpers shared by every integration test. The app bootstrap and token helpers live in ./app.
import { randomBytes } from 'node:crypto';

export { freePort, startRedisServer, startSmtpSink } from '@app/local-stack';
export type { ReceivedMail, RedisServerHandle, SmtpSink } from '@app/local-stack';

/**
 * A prefix unique to one test file and run, safe in DynamoDB table names and Redis keys
 * (letters, digits, underscores): use it for TABLE_PREFIX (`${prefix}_`) and the cache/queue prefixes,
 * so test files sharing one DynamoDB Local and one Redis never see each other's data.
 */
export function uniquePrefix(label: string): string {
  const safe =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 24) || 'test';
  return `t_${safe}_${process.env.JEST_WORKER_ID ?? '0'}${randomBytes(3).toString('hex')}`;
}

type EnvVars = Record<string, string | undefined>;

/**
 * Sets environment variables (undefined deletes one) for an app under test.
 * Without `fn` it returns the function that restores the previous values (e.g. `afterAll(withEnv({...}))`);
 * with `fn` it runs it and restores afterwards, even when it throws.
 */
export function withEnv(vars: EnvVars): () => void;
export function withEnv<T>(vars: EnvVars, fn: () => T | Promise<T>): Promise<T>;
export function withEnv<T>(vars: EnvVars, fn?: () => T | Promise<T>): (() => void) | Promise<T> {
  const previous: EnvVars = {};
  for (const [name, value] of Object.entries(vars)) {
    previous[name] = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  const restore = () => {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  if (!fn) return restore;
  return (async () => {
    try {
      return await fn();
    } finally {
      restore();
    }
  })();
}
