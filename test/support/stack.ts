import { validateEnv } from '@app/common';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { Course, courseIndexKeys, createDynamoDbClients, tableNames } from '@app/data';
import { dropTables, migrate } from '@app/data/migrations';
import { deleteKeysMatching } from '@app/local-stack';
import { Redis } from 'ioredis';
import { TEST_JWT_SECRET } from './app';
import { uniquePrefix } from './index';

/**
 * One test file's slice of the shared DynamoDB Local and Redis: its own table, cache-key and queue
 * prefixes (set in process.env before the apps under test read their config), and a DynamoDB client
 * for arranging and inspecting data directly.
 */
export function testStack(label: string, extraEnv: Record<string, string> = {}) {
  const prefix = uniquePrefix(label);
  Object.assign(process.env, {
    TABLE_PREFIX: `${prefix}_`,
    CACHE_PREFIX: `test:${prefix}`,
    QUEUE_PREFIX: `{test-${prefix}}`,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'fatal',
    // Functional specs assert HIT/MISS; on a loaded CI machine a 50 ms cache read can time out and
    // bypass. Fail-open under the production timeout has its own spec (libs/cache/test/fail-open).
    CACHE_TIMEOUT_MS: '1000',
    ...extraEnv,
  });
  const env = validateEnv(process.env);
  const { client, doc } = createDynamoDbClients({
    endpoint: env.DYNAMODB_ENDPOINT,
    region: env.AWS_REGION,
    accessKeyId: env.AWS_ACCESS_KEY_ID,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
    tablePrefix: env.TABLE_PREFIX,
    maxSockets: 64,
    timeoutMs: 5000,
    maxAttempts: 3,
  });
  const tables = tableNames(env.TABLE_PREFIX);
  return {
    env,
    client,
    doc,
    tables,
    /** Writes a course row as the repository stores it (2026-FALL, department CS, no one enrolled). */
    async putCourse(id: string, over: Partial<Course> = {}): Promise<void> {
      const now = new Date().toISOString();
      const course: Course = {
        course_id: id,
        course_code: id.split('-')[0],
        title: `Course ${id}`,
        semester_id: '2026-FALL',
        department_id: 'CS',
        instructor_id: 'i1',
        capacity: 30,
        credits: 3,
        enrolled_count: 0,
        created_at: now,
        updated_at: now,
        version: 1,
        ...over,
      };
      await doc.send(
        new PutCommand({
          TableName: tables.courses,
          Item: { ...course, ...courseIndexKeys(course) },
        }),
      );
    },
    migrate: () => migrate(client, env.TABLE_PREFIX),
    /** Drops the file's tables and deletes its Redis keys (cache and queues), then closes (afterAll). */
    async drop(): Promise<void> {
      await dropTables(client, env.TABLE_PREFIX);
      client.destroy();
      const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1 });
      try {
        await deleteKeysMatching(redis, [`${env.CACHE_PREFIX}:*`, `${env.QUEUE_PREFIX}*`]);
      } finally {
        redis.disconnect();
      }
    },
  };
}
