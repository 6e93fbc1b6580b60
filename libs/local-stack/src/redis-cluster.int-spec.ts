import { existsSync } from 'node:fs';
import { Cluster } from 'ioredis';
import { isRedisReachable } from './redis-server';
import { deleteKeysMatching } from './redis-keys';
import { RedisClusterHandle, startRedisCluster } from './redis-cluster';

describe('startRedisCluster (three local masters)', () => {
  let sut: RedisClusterHandle;
  let client: Cluster;
  const urls = () => sut.ports.map((p) => `redis://127.0.0.1:${p}`);

  beforeAll(async () => {
    sut = await startRedisCluster();
    client = new Cluster(
      sut.nodes.split(',').map((n) => ({ host: '127.0.0.1', port: +n.split(':')[1] })),
    );
  });

  afterAll(async () => {
    await client?.quit();
    await sut?.stop();
  });

  it('serves keys from every master, refuses cross-slot commands, and deleteKeysMatching clears them', async () => {
    expect(sut.nodes).toMatch(/^127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+$/);
    const keys = Array.from({ length: 30 }, (_, i) => `spec:k${i}`);
    await Promise.all(keys.map((k) => client.set(k, '1')));
    const perMaster = await Promise.all(client.nodes('master').map((n) => n.dbsize()));
    expect(perMaster).toHaveLength(3);
    expect(perMaster.every((n) => n > 0)).toBe(true);
    await expect(client.mget(keys)).rejects.toThrow(/CROSSSLOT|same slot/);

    expect(await deleteKeysMatching(client, ['spec:*'])).toBe(30);
    expect(await Promise.all(keys.map((k) => client.exists(k)))).toEqual(keys.map(() => 0));
  });

  it('a stopped master comes back on its port with its slots', async () => {
    await sut.stopNode(1);
    await expect(isRedisReachable(urls()[1])).resolves.toBe(false);
    await sut.startNode(1);
    const key = 'spec:again';
    await client.set(key, 'v');
    expect(await client.get(key)).toBe('v');
    await client.del(key);
  });

  it('stop() ends every node and removes its files', async () => {
    const other = await startRedisCluster();
    const nodeUrls = other.ports.map((p) => `redis://127.0.0.1:${p}`);
    expect(existsSync(other.dir)).toBe(true);
    await other.stop();
    for (const url of nodeUrls) await expect(isRedisReachable(url)).resolves.toBe(false);
    expect(existsSync(other.dir)).toBe(false);
  });
});
