import type { ConfigCost } from './cost';
import type { ConfigName, EndpointName } from './options';
import type { SloResult } from './slo-sweep';

/** One endpoint run of one configuration, as written to latest.json. */
export interface EndpointResult {
  rps: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  /** Transport errors, timeouts and 5xx responses. */
  errors: number;
  /** Every non-2xx response (409 COURSE_FULL included; 5xx are also counted in errors). */
  non2xx: number;
  hit_rate: number | null;
  rcu_per_req: number | null;
  /** DynamoDB write units per request over the window (extra field; the cost estimate uses it). */
  wcu_per_req?: number | null;
  /**
   * 'probe' when no request of the loaded window finished its reads (all timed out), so rcu_per_req
   * comes from a few requests sent one at a time afterwards (extra field).
   */
  rcu_source?: 'window' | 'probe';
  /** Cores each process kept busy during the measured window (not in the schema; extra). */
  cpu_cores?: Record<string, number>;
  /** DynamoDB commands by operation per request, all apps, probed after the enroll window (extra; calls-probe.ts). */
  ddb_calls_per_req?: Record<string, number> | null;
}

export interface ScalingResult {
  courses: number;
  scan_ms: number;
  query_ms: number;
  scan_rcu: number;
  query_rcu: number;
}

export interface BenchResult {
  /** When the run finished (ISO 8601); extra field, used to re-render a report. */
  generated_at?: string;
  machine: { cpus: number; cpu_model: string; mem_gb: number; node: string; os: string };
  /** The data and the load it ran under (free-form). */
  dataset: Record<string, unknown>;
  configs: Partial<Record<ConfigName, Partial<Record<EndpointName, EndpointResult>>>>;
  scaling: ScalingResult[];
  reference: {
    /** node:http serving the body from memory: the ceiling of an in-process hit (extra; absent in older results). */
    memory_http_rps?: number | null;
    plain_http_rps: number | null;
    express_rps: number | null;
    /** Nest on Express with one controller and nothing else (not in the schema; extra). */
    nest_bare_rps: number | null;
    nest_cached_rps: number | null;
    /** Raw TransactWriteItems of an enroll's and a drop's items, alternating, against the same DynamoDB Local (extra). */
    raw_transact_rps?: number | null;
  };
  /** The open-loop sweep of the list per configuration (bench/slo-sweep.ts). */
  slo?: Partial<Record<ConfigName, { list: SloResult }>>;
  /** Each app's resident memory in the optimized configuration: after start-up, and its peak by the end of the list window. */
  memory?: Partial<Record<string, { idle_rss_mb: number; peak_rss_mb: number }>>;
  /** DynamoDB on-demand and cache-node dollars per configuration (bench/cost.ts: dated prices, stated mix). */
  cost?: Partial<Record<ConfigName, ConfigCost>>;
}
