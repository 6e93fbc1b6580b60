import { Redis } from 'ioredis';
import { uniquePrefix } from '@app/testing';
import { deleteKeysMatching } from './redis-keys';

describe('deleteKeysMatching (the machine Redis)', () => {
  const prefix = uniquePrefix('keys');
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    maxRetriesPerRequest: 1,
  });
  const keep = `${prefix}-keep`;

  afterAll(async () => {
    await redis.del(keep);
    redis.disconnect();
  });

  it('deletes every key of the patterns, over several SCAN pages, and nothing else', async () => {
    const pipeline = redis.pipeline();
    for (let i = 0; i < 2500; i++) pipeline.set(`${prefix}:a:${i}`, '1');
    pipeline.set(`{${prefix}}:queue`, '1').set(keep, '1');
    await pipeline.exec();

    const deleted = await deleteKeysMatching(redis, [`${prefix}:*`, `{${prefix}}*`]);

    expect(deleted).toBe(2501);
    expect(await redis.exists(`${prefix}:a:0`, `${prefix}:a:2499`, `{${prefix}}:queue`)).toBe(0);
    expect(await redis.get(keep)).toBe('1');
  });
});
