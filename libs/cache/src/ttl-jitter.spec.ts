import { jitteredTtl } from './ttl-jitter';

describe('jitteredTtl', () => {
  it('stays within ±10 % of the TTL', () => {
    expect(jitteredTtl(10_000, () => 0)).toBe(9_000);
    expect(jitteredTtl(10_000, () => 0.999999)).toBe(11_000);
    for (let i = 0; i < 1000; i++) {
      const ttl = jitteredTtl(60_000);
      expect(ttl).toBeGreaterThanOrEqual(54_000);
      expect(ttl).toBeLessThanOrEqual(66_000);
    }
  });

  it('spreads expiries', () => {
    const ttls = new Set(Array.from({ length: 100 }, () => jitteredTtl(60_000)));
    expect(ttls.size).toBeGreaterThan(50);
  });
});
