import { SingleFlight } from './single-flight';

const deferred = <T>() => {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

describe('SingleFlight', () => {
  it('runs one load for concurrent callers of a key, and shares its result', async () => {
    const sut = new SingleFlight<string>();
    const d = deferred<string>();
    const load = jest.fn(() => d.promise);
    const calls = Array.from({ length: 50 }, () => sut.run('k', load));
    expect(calls.filter((c) => c.leader)).toHaveLength(1);
    d.resolve('v');
    expect(await Promise.all(calls.map((c) => c.promise))).toEqual(Array(50).fill('v'));
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('keeps keys apart', async () => {
    const sut = new SingleFlight<string>();
    const a = sut.run('a', async () => 'A');
    const b = sut.run('b', async () => 'B');
    expect([a.leader, b.leader]).toEqual([true, true]);
    expect(await Promise.all([a.promise, b.promise])).toEqual(['A', 'B']);
  });

  it('propagates an error to every waiter and does not remember it', async () => {
    const sut = new SingleFlight<string>();
    const d = deferred<string>();
    const first = sut.run('k', () => d.promise);
    const second = sut.run('k', () => d.promise);
    d.reject(new Error('boom'));
    await expect(first.promise).rejects.toThrow('boom');
    await expect(second.promise).rejects.toThrow('boom');
    expect(sut.size).toBe(0);
    const again = sut.run('k', async () => 'ok');
    expect(again.leader).toBe(true);
    expect(await again.promise).toBe('ok');
  });

  it('turns a synchronous throw into a rejection and cleans up', async () => {
    const sut = new SingleFlight<string>();
    const call = sut.run('k', () => {
      throw new Error('sync');
    });
    await expect(call.promise).rejects.toThrow('sync');
    expect(sut.size).toBe(0);
  });

  it('with a linger, lets late callers join a settled success, then loads again', async () => {
    jest.useFakeTimers();
    try {
      const sut = new SingleFlight<string>(100);
      const first = sut.run('k', async () => 'v1');
      expect(await first.promise).toBe('v1');
      const late = sut.run('k', async () => 'v2');
      expect(late.leader).toBe(false);
      expect(await late.promise).toBe('v1');
      jest.advanceTimersByTime(100);
      expect(sut.size).toBe(0);
      expect(await sut.run('k', async () => 'v3').promise).toBe('v3');
    } finally {
      jest.useRealTimers();
    }
  });

  it('with a linger, still forgets an error at once', async () => {
    const sut = new SingleFlight<string>(10_000);
    await expect(
      sut.run('k', async () => Promise.reject(new Error('boom'))).promise,
    ).rejects.toThrow('boom');
    expect(sut.size).toBe(0);
  });
});
