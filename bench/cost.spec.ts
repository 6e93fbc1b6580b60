import { CACHE_NODES, configCost, MONTHLY_MIX, PRICES, usdPerMillion } from './cost';
import type { EndpointResult } from './result';

const ep = (rcu: number | null, wcu?: number): EndpointResult => ({
  rps: 1,
  p50_ms: 1,
  p95_ms: 1,
  p99_ms: 1,
  errors: 0,
  non2xx: 0,
  hit_rate: null,
  rcu_per_req: rcu,
  wcu_per_req: wcu,
});

describe('usdPerMillion', () => {
  it.each([
    ['a Scan of 433 read units', ep(433), 54.125],
    ['a cached hit', ep(0), 0],
    ['an enroll: 10 read units, 8 write units', ep(10, 8), 6.25],
    ['unknown reads', ep(null, 8), null],
  ])('%s', (_name, result, usd) => {
    expect(usdPerMillion(result)).toBe(usd);
  });
});

describe('configCost', () => {
  const endpoints = { list: ep(2.5), detail: ep(0.5), my_enrollments: ep(1), enroll: ep(10, 8) };

  it('prices every endpoint of the mix and adds the cache nodes once a month', () => {
    const cost = configCost('optimized', endpoints);
    expect(cost.usd_per_million).toEqual({
      list: 0.3125,
      detail: 0.0625,
      my_enrollments: 0.125,
      enroll: 6.25,
    });
    const dynamo =
      (0.3125 * MONTHLY_MIX.list! +
        0.0625 * MONTHLY_MIX.detail! +
        0.125 * MONTHLY_MIX.my_enrollments! +
        6.25 * MONTHLY_MIX.enroll!) /
      1e6;
    const cache = CACHE_NODES.optimized * PRICES.cache_node.usd_per_hour * PRICES.hours_per_month;
    expect(cost.usd_per_month).toBeCloseTo(dynamo + cache, 2);
    expect(configCost('index_only', endpoints).usd_per_month).toBeCloseTo(dynamo, 2);
  });

  it('has no monthly figure when an endpoint of the mix was not measured', () => {
    const cost = configCost('baseline', { list: ep(433) });
    expect(cost.usd_per_month).toBeNull();
    expect(cost.usd_per_million).toEqual({ list: 54.125 });
  });
});
