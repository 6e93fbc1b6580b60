import { validateEnv } from '@app/common';
import { createDynamoDbClients, tableNames } from '@app/data';
import { dropTables, migrate } from '@app/data/migrations';
import { deleteKeysMatching } from '@app/local-stack';
import { localDynamoDbConfig } from './dynamodb-config';
import { adminRedis } from './test-redis';
import { tableFixtures } from './fixtures';
import { TEST_JWT_SECRET } from './tokens';
import { uniquePrefix } from './unique-prefix';

/**
 * One test file's slice of the shared DynamoDB Local and Redis: its own table, cache-key and queue
 * prefixes (set in process.env before the apps under test read their config), a DynamoDB client
 * for arranging and inspecting data directly, and fixtures that write rows (putCourse, putUser,
 * setEnrolled).
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
    // The same for HIT right after a write on a GSI route: with the index-lag window on, that entry
    // lives 2 s, and a slow machine could take longer between two requests. The window has its own
    // spec (libs/cache/test/response-cache.int-spec).
    CACHE_INDEX_LAG_MS: '0',
    // Functional and hostile-input specs send many writes per student; the limit has its own spec.
    RATE_LIMIT_WRITES: '100000',
    // Reads all come from 127.0.0.1 here (the fuzz suite alone sends thousands), and the per-address
    // count is one more Redis call before the cache: off, so specs that time the cache (stampede,
    // single flight) measure the cache alone. The limit has its own spec (test/security/hardening).
    RATE_LIMIT_READS: '0',
    ...extraEnv,
  });
  const env = validateEnv(process.env);
  const { client, doc } = createDynamoDbClients(
    localDynamoDbConfig({ env, tablePrefix: env.TABLE_PREFIX }),
  );
  const tables = tableNames(env.TABLE_PREFIX);
  return {
    env,
    client,
    doc,
    tables,
    ...tableFixtures(doc, tables),
    migrate: () => migrate(client, env.TABLE_PREFIX),
    /** Drops the file's tables and deletes its Redis keys (cache and queues), then closes (afterAll). */
    async drop(): Promise<void> {
      await dropTables(client, env.TABLE_PREFIX);
      client.destroy();
      // The cluster's masters when the file runs on REDIS_CLUSTER_NODES.
      const redis = adminRedis(env);
      try {
        await deleteKeysMatching(redis, [`${env.CACHE_PREFIX}:*`, `${env.QUEUE_PREFIX}*`]);
      } finally {
        redis.disconnect();
      }
    },
  };
}

export type TestStack = ReturnType<typeof testStack>;
