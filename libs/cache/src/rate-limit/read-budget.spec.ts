import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import type { RateLimitConfig } from '@app/common';
import { ReadBudget } from './read-budget';
import type { RedisThrottlerStorage } from './redis-throttler.storage';

const LIMIT = 5;
const WINDOW_MS = 60_000;

/** The storage's fixed window, in memory; each call waits until `release` lets it answer. */
function fakeStorage(opts: { fail?: boolean } = {}) {
  let hits = 0;
  const calls: number[] = [];
  const waiting: (() => void)[] = [];
  const storage = {
    incrementBy: (_key: string, _ttl: number, limit: number, blockMs: number, by: number) => {
      calls.push(by);
      return new Promise<ThrottlerStorageRecord>((resolve) =>
        waiting.push(() => {
          if (opts.fail) {
            return resolve({
              totalHits: 0,
              timeToExpire: 0,
              isBlocked: false,
              timeToBlockExpire: 0,
            });
          }
          hits += by;
          const blocked = hits > limit;
          resolve({
            totalHits: hits,
            timeToExpire: 60,
            isBlocked: blocked,
            timeToBlockExpire: blocked ? blockMs / 1000 : 0,
          });
        }),
      );
    },
  };
  const release = async () => {
    while (waiting.length > 0) waiting.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { storage: storage as unknown as RedisThrottlerStorage, calls, release, hits: () => hits };
}

const budgetOver = (storage: RedisThrottlerStorage) =>
  new ReadBudget(storage, { reads: LIMIT, windowMs: WINDOW_MS } as RateLimitConfig);

describe('ReadBudget', () => {
  it('refuses a client reading one request after another exactly past the limit', async () => {
    const fake = fakeStorage();
    const budget = budgetOver(fake.storage);
    const answers: boolean[] = [];
    for (let i = 0; i < LIMIT + 2; i++) {
      answers.push(budget.take('reads:ip:a'));
      await fake.release();
    }
    expect(answers).toEqual([true, true, true, true, true, false, false]);
    expect(fake.hits()).toBe(LIMIT); // the refused ones are Nest's guard's to count
  });

  it('counts a burst locally: one INCRBY in flight, the rest sent together when it answers', async () => {
    const fake = fakeStorage();
    const budget = budgetOver(fake.storage);
    const answers = Array.from({ length: LIMIT + 3 }, () => budget.take('reads:ip:b'));
    expect(answers.filter(Boolean)).toHaveLength(LIMIT);
    expect(fake.calls).toEqual([1]);
    await fake.release();
    expect(fake.calls).toEqual([1, LIMIT - 1]);
    await fake.release();
    expect(fake.hits()).toBe(LIMIT);
  });

  it('learns what other instances counted, and a block, from Redis', async () => {
    const fake = fakeStorage();
    const other = budgetOver(fake.storage);
    const budget = budgetOver(fake.storage);
    for (let i = 0; i < LIMIT - 1; i++) {
      other.take('reads:ip:c');
      await fake.release();
    }
    expect(budget.take('reads:ip:c')).toBe(true); // its first: it knew nothing yet
    await fake.release();
    expect(budget.take('reads:ip:c')).toBe(false); // Redis said 5 of 5
  });

  it('keeps budgets per address', () => {
    const budget = budgetOver(fakeStorage().storage);
    for (let i = 0; i < LIMIT; i++) expect(budget.take('reads:ip:d')).toBe(true);
    expect(budget.take('reads:ip:d')).toBe(false);
    expect(budget.take('reads:ip:e')).toBe(true);
  });

  it('fails open: a count Redis did not take is forgotten', async () => {
    const fake = fakeStorage({ fail: true });
    const budget = budgetOver(fake.storage);
    for (let i = 0; i < LIMIT * 3; i++) {
      expect(budget.take('reads:ip:f')).toBe(true);
      await fake.release();
    }
  });

  it('is off with RATE_LIMIT_READS=0', () => {
    const budget = new ReadBudget(fakeStorage().storage, {
      reads: 0,
      windowMs: 1,
    } as RateLimitConfig);
    expect(budget.enabled).toBe(false);
  });
});
