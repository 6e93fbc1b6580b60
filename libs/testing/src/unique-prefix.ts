import { randomBytes } from 'node:crypto';

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
