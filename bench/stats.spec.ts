import { LatencyRecorder, median, percentile } from './stats';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 0.5)).toBe(50);
    expect(percentile(xs, 0.95)).toBe(95);
    expect(percentile(xs, 0.99)).toBe(99);
    expect(percentile(xs, 1)).toBe(100);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBe(0);
  });
});

describe('median', () => {
  it('averages the middle pair of an even sample and leaves its input alone', () => {
    const xs = [4, 1, 3, 2];
    expect(median(xs)).toBe(2.5);
    expect(xs).toEqual([4, 1, 3, 2]);
    expect(median([5, 1, 9])).toBe(5);
  });
});

describe('LatencyRecorder', () => {
  it('grows past its initial buffer and summarises numerically (not lexically)', () => {
    const sut = new LatencyRecorder();
    for (let i = 0; i < 70_000; i++) sut.record(i % 10 < 6 ? 2 : 10);
    sut.record(100);
    expect(sut.count).toBe(70_001);
    expect(sut.summary()).toMatchObject({ p50: 2, p95: 10, p99: 10 });
  });

  it('counts timed-out requests at the timeout', () => {
    const sut = new LatencyRecorder();
    for (let i = 0; i < 90; i++) sut.record(5);
    sut.recordCensored(10, 10_000);
    expect(sut.summary().p95).toBe(10_000);
    expect(sut.summary().p50).toBe(5);
  });
});
