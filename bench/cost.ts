import type { ConfigName, EndpointName } from './options';
import type { BenchResult, EndpointResult } from './result';

/**
 * AWS list prices the cost estimate uses, us-east-1, on-demand, as published on 2026-12-02
 * (DynamoDB after the November 2024 on-demand price cut). A read request unit is one strongly
 * consistent read of up to 4 KB (half a unit eventually consistent), a write request unit one write
 * of up to 1 KB (transactions cost twice): the same units as the ConsumedCapacity the apps count.
 */
export const PRICES = {
  as_of: '2026-12-02',
  region: 'us-east-1',
  usd_per_million_read_units: 0.125,
  usd_per_million_write_units: 0.625,
  /** ElastiCache for Redis OSS cache.t4g.small on-demand, one node. */
  cache_node: { type: 'cache.t4g.small', usd_per_hour: 0.032 },
  hours_per_month: 730,
} as const;

/**
 * The monthly traffic the per-month figure assumes: a term's registration month at a mid-sized
 * university (30,000 students), reads dominated by class search.
 */
export const MONTHLY_MIX: Partial<Record<EndpointName, number>> = {
  list: 60_000_000,
  detail: 30_000_000,
  my_enrollments: 6_000_000,
  enroll: 600_000,
};

/** Cache nodes a configuration runs (a primary and a replica when it caches). */
export const CACHE_NODES: Record<ConfigName, number> = {
  baseline: 0,
  index_only: 0,
  cache_only: 2,
  optimized: 2,
  optimized_no_seats: 2,
};

export interface ConfigCost {
  /** DynamoDB on-demand dollars per million requests of each endpoint, from its measured units. */
  usd_per_million: Partial<Record<EndpointName, number>>;
  /** DynamoDB at MONTHLY_MIX plus the configuration's cache nodes; null when an endpoint's units are unknown. */
  usd_per_month: number | null;
}

/** One request's DynamoDB dollars × 10^6, from its measured read and write units. */
export function usdPerMillion(
  r: Pick<EndpointResult, 'rcu_per_req' | 'wcu_per_req'>,
): number | null {
  if (r.rcu_per_req === null || r.rcu_per_req === undefined) return null;
  const wcu = r.wcu_per_req ?? 0;
  return round4(
    r.rcu_per_req * PRICES.usd_per_million_read_units + wcu * PRICES.usd_per_million_write_units,
  );
}

/** A configuration's cost per endpoint and per month at MONTHLY_MIX. */
export function configCost(
  config: ConfigName,
  endpoints: Partial<Record<EndpointName, EndpointResult>>,
): ConfigCost {
  const usd_per_million: Partial<Record<EndpointName, number>> = {};
  let dynamo: number | null = 0;
  for (const [endpoint, requests] of Object.entries(MONTHLY_MIX) as [EndpointName, number][]) {
    const result = endpoints[endpoint];
    const perMillion = result ? usdPerMillion(result) : null;
    if (perMillion === null) {
      dynamo = null;
      continue;
    }
    usd_per_million[endpoint] = perMillion;
    if (dynamo !== null) dynamo += (perMillion * requests) / 1e6;
  }
  const cache = CACHE_NODES[config] * PRICES.cache_node.usd_per_hour * PRICES.hours_per_month;
  return { usd_per_million, usd_per_month: dynamo === null ? null : round2(dynamo + cache) };
}

/** The cost of every configuration that ran. */
export function costOf(configs: BenchResult['configs']): NonNullable<BenchResult['cost']> {
  const out: NonNullable<BenchResult['cost']> = {};
  for (const [config, endpoints] of Object.entries(configs) as [ConfigName, EndpointResults][]) {
    out[config] = configCost(config, endpoints);
  }
  return out;
}

type EndpointResults = Partial<Record<EndpointName, EndpointResult>>;

const round2 = (n: number) => Math.round(n * 100) / 100;
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;
