import { mulberry32, shuffled, ZipfSampler, zipfPicker } from './zipf';

describe('mulberry32', () => {
  it('is deterministic per seed and stays in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(43)()).not.toBe(xs[0]);
  });
});

describe('ZipfSampler', () => {
  it('gives rank k a probability proportional to 1/(k+1)^s', () => {
    const sut = new ZipfSampler(4, 1);
    const h = 1 + 1 / 2 + 1 / 3 + 1 / 4;
    expect(sut.probability(0)).toBeCloseTo(1 / h, 10);
    expect(sut.probability(3)).toBeCloseTo(1 / 4 / h, 10);
  });

  it('draws ranks with the expected frequencies', () => {
    const sut = new ZipfSampler(80, 1, mulberry32(7));
    const counts = new Array<number>(80).fill(0);
    const draws = 200_000;
    for (let i = 0; i < draws; i++) counts[sut.next()]++;
    for (const k of [0, 1, 9, 79]) expect(counts[k] / draws).toBeCloseTo(sut.probability(k), 2);
    expect(counts[0]).toBeGreaterThan(counts[1]);
    expect(counts[1]).toBeGreaterThan(counts[10]);
  });

  it('is uniform when s = 0 and never leaves [0, n)', () => {
    const sut = new ZipfSampler(10, 0, mulberry32(1));
    for (let i = 0; i < 10_000; i++) {
      const k = sut.next();
      expect(k).toBeGreaterThanOrEqual(0);
      expect(k).toBeLessThan(10);
    }
    expect(sut.probability(0)).toBeCloseTo(0.1, 10);
  });

  it('handles u close to 1 and a single item', () => {
    expect(new ZipfSampler(5, 1, () => 0.9999999999).next()).toBe(4);
    expect(new ZipfSampler(1, 1, () => 0.5).next()).toBe(0);
  });

  it('rejects nonsense', () => {
    expect(() => new ZipfSampler(0)).toThrow();
    expect(() => new ZipfSampler(3, -1)).toThrow();
  });
});

describe('zipfPicker', () => {
  it('is a seeded permutation of the items, with the top-ranked one drawn most', () => {
    const items = Array.from({ length: 50 }, (_, i) => `k${i}`);
    const sut = zipfPicker(items, 1.1, 99);
    expect([...sut.ranked].sort()).toEqual([...items].sort());
    expect(zipfPicker(items, 1.1, 99).ranked).toEqual(sut.ranked);
    const seen = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const k = sut.next();
      seen.set(k, (seen.get(k) ?? 0) + 1);
    }
    const top = [...seen.entries()].sort((a, b) => b[1] - a[1])[0][0];
    expect(top).toBe(sut.ranked[0]);
  });

  it('shuffled does not mutate its input', () => {
    const items = [1, 2, 3, 4, 5];
    shuffled(items, mulberry32(3));
    expect(items).toEqual([1, 2, 3, 4, 5]);
  });
});
