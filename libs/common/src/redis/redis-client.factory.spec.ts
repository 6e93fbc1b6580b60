import { Logger } from '@nestjs/common';
import { Cluster, Redis } from 'ioredis';
import { createRedisClient, RedisClient, redisOptionsFromUrl } from './redis-client.factory';

// Nothing listens on port 1: the clients are inspected, never used.
const standalone = {
  cacheUrl: 'redis://127.0.0.1:1/2',
  queueUrl: 'redis://127.0.0.1:1/3',
  clusterNodes: undefined,
};
const cluster = { ...standalone, clusterNodes: [{ host: '127.0.0.1', port: 1 }] };
const quiet = new Logger('spec');
jest.spyOn(quiet, 'warn').mockImplementation(() => undefined);

describe('createRedisClient', () => {
  const made: RedisClient[] = [];
  const sut = (...args: Parameters<typeof createRedisClient>) => {
    const client = createRedisClient(args[0], args[1], args[2], quiet);
    made.push(client);
    return client;
  };
  afterAll(() => made.forEach((c) => c.disconnect()));

  it('makes a Redis on the role’s URL when no cluster is configured', () => {
    const cache = sut('cache', standalone) as Redis;
    const queue = sut('queue-producer', standalone) as Redis;
    expect(cache).toBeInstanceOf(Redis);
    expect([cache.options.db, queue.options.db]).toEqual([2, 3]);
  });

  it('makes a Cluster over REDIS_CLUSTER_NODES for every role, keeping each role’s fail-fast settings', () => {
    const cache = sut('cache', cluster) as Cluster;
    const producer = sut('queue-producer', cluster) as Cluster;
    const worker = sut('queue-worker', cluster) as Cluster;
    for (const c of [cache, producer, worker]) expect(c).toBeInstanceOf(Cluster);
    expect(cache.options).toMatchObject({
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      redisOptions: { commandTimeout: 150, maxRetriesPerRequest: 1, connectTimeout: 1000 },
    });
    expect(producer.options).toMatchObject({
      enableOfflineQueue: false,
      redisOptions: { commandTimeout: 500, maxRetriesPerRequest: 1 },
    });
    expect(
      (sut('cache', cluster, { commandTimeoutMs: 250 }) as Cluster).options.redisOptions,
    ).toMatchObject({ commandTimeout: 250 });
    // BullMQ refuses a blocking connection that retries requests.
    expect(worker.options.redisOptions).toMatchObject({ maxRetriesPerRequest: null });
    expect(worker.options.redisOptions?.commandTimeout).toBeUndefined();
  });

  it('reads credentials, database and TLS from a URL', () => {
    expect(redisOptionsFromUrl('rediss://u%40x:p%3Ay@cache.internal:6380/4')).toEqual({
      host: 'cache.internal',
      port: 6380,
      username: 'u@x',
      password: 'p:y',
      db: 4,
      tls: {},
    });
  });
});
