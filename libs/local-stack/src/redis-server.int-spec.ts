import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { ensureRedis, isRedisReachable, startRedisServer } from './redis-server';

describe('redis-server helpers', () => {
  it('isRedisReachable is false, quickly, on a port nothing listens on', async () => {
    const started = Date.now();
    await expect(isRedisReachable(`redis://127.0.0.1:${await freePort()}`)).resolves.toBe(false);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('startRedisServer answers PING until stopped', async () => {
    const sut = await startRedisServer({});
    expect(sut.url).toBe(`redis://127.0.0.1:${sut.port}`);
    await expect(isRedisReachable(sut.url)).resolves.toBe(true);
    await sut.stop();
    await expect(isRedisReachable(sut.url)).resolves.toBe(false);
    expect(() => process.kill(sut.pid, 0)).toThrow();
  });

  it('startRedisServer can come back on the same port after a stop', async () => {
    const port = await freePort();
    await (await startRedisServer({ port })).stop();
    const again = await startRedisServer({ port });
    await expect(isRedisReachable(again.url)).resolves.toBe(true);
    await again.stop();
  });

  it('ensureRedis uses a Redis that answers and starts nothing', async () => {
    const running = await startRedisServer({});
    try {
      await expect(ensureRedis(running.url, { dataDir: '/nonexistent' })).resolves.toEqual({
        url: running.url,
      });
    } finally {
      await running.stop();
    }
  });

  it('ensureRedis starts a redis-server when nothing answers', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ensure-redis-'));
    const { url, started } = await ensureRedis(`redis://127.0.0.1:${await freePort()}`, {
      dataDir,
    });
    try {
      expect(started).toBeDefined();
      await expect(isRedisReachable(url)).resolves.toBe(true);
    } finally {
      await started?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
