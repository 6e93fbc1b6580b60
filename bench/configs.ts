import type { ConfigName, EndpointName } from './options';

/**
 * What each configuration switches on: the cache; the list by Scan + filter or by GSI Query; my
 * enrollments by one GetItem per course (N+1) or one BatchGet; the enroll/drop email sent inside
 * the request or queued for the notifications worker; the list's items with their seat fields merged
 * in per request (CATALOG_SEATS_IN_LIST) or the stable page alone.
 */
export const CONFIGS: Record<
  ConfigName,
  {
    cache: boolean;
    list: 'scan' | 'index';
    mine: 'n_plus_one' | 'batch';
    email: 'inline' | 'queued';
    seats: boolean;
  }
> = {
  baseline: { cache: false, list: 'scan', mine: 'n_plus_one', email: 'inline', seats: true },
  index_only: { cache: false, list: 'index', mine: 'batch', email: 'queued', seats: true },
  cache_only: { cache: true, list: 'scan', mine: 'n_plus_one', email: 'queued', seats: true },
  optimized: { cache: true, list: 'index', mine: 'batch', email: 'queued', seats: true },
  optimized_no_seats: {
    cache: true,
    list: 'index',
    mine: 'batch',
    email: 'queued',
    seats: false,
  },
};

export const APP_NAMES = ['courses', 'enrollments', 'notifications'] as const;
export type AppName = (typeof APP_NAMES)[number];

/** Which app serves an endpoint, and the @Cacheable name whose counters give its hit rate. */
export const ENDPOINT_APP: Record<EndpointName, { app: AppName; cacheName: string | null }> = {
  list: { app: 'courses', cacheName: 'courses-by-semester' },
  detail: { app: 'courses', cacheName: 'course-detail' },
  my_enrollments: { app: 'enrollments', cacheName: 'my-enrollments' },
  enroll: { app: 'enrollments', cacheName: null },
};

export interface RunIds {
  runId: string;
  tablePrefix: string;
  jwtSecret: string;
  cursorSecret: string;
}

/** Redis prefixes of one configuration in one run: unique, so configs never share cache entries or queues. */
export const cachePrefix = (runId: string, config: ConfigName) => `bench:${runId}:${config}:cache`;
export const queuePrefix = (runId: string, config: ConfigName) => `{bench-${runId}-${config}}`;
/** Every Redis key this run creates matches one of these SCAN patterns. */
export const runKeyPatterns = (runId: string) => [`bench:${runId}:*`, `{bench-${runId}-*`];

// Only these pass from the harness's environment to the apps: the rest is set explicitly below.
const INHERITED = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'SystemRoot'];

/**
 * BENCH_APP_<NAME>=value in the harness's environment sets <NAME>=value for every app, e.g.
 * BENCH_APP_CACHE_TIMEOUT_MS=500 (recorded in the results' dataset.app_overrides).
 */
export function appOverrides(parent: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parent)) {
    if (k.startsWith('BENCH_APP_') && k.length > 'BENCH_APP_'.length && v !== undefined)
      out[k.slice('BENCH_APP_'.length)] = v;
  }
  return out;
}

/** The Dockerfile's `NODE_OPTIONS` (test/deploy/compose.spec.ts checks they agree). */
export const IMAGE_NODE_OPTIONS = '--max-old-space-size=256';

/** The environment of one app in one configuration. */
export function appEnv(
  config: ConfigName,
  port: number,
  ids: RunIds,
  infra: { dynamoEndpoint: string; redisUrl: string; smtpUrl: string },
  parent: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const c = CONFIGS[config];
  const env: NodeJS.ProcessEnv = {};
  for (const k of INHERITED) if (parent[k] !== undefined) env[k] = parent[k];
  return {
    ...env,
    NODE_ENV: 'production',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DYNAMODB_ENDPOINT: infra.dynamoEndpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    TABLE_PREFIX: ids.tablePrefix,
    REDIS_URL: infra.redisUrl,
    CACHE_ENABLED: String(c.cache),
    CACHE_PREFIX: cachePrefix(ids.runId, config),
    QUEUE_PREFIX: queuePrefix(ids.runId, config),
    SMTP_URL: infra.smtpUrl,
    JWT_SECRET: ids.jwtSecret,
    CURSOR_SECRET: ids.cursorSecret,
    BENCH_LIST_STRATEGY: c.list,
    BENCH_MY_ENROLLMENTS_STRATEGY: c.mine,
    BENCH_EMAIL_MODE: c.email,
    CATALOG_SEATS_IN_LIST: String(c.seats),
    // What is measured is caching and indexing: the rate limits are off (all reads come from one
    // address; each student's enroll/drop runs far faster than a person's). Admission control keeps
    // its default bound on writes in flight, but a queued write waits up to a minute instead of
    // turning into 503 OVERLOADED: 200 closed-loop connections against DynamoDB Local's ~35
    // enroll/drop per second queue ~6 s each (Little's law), and the FIFO queue in the app keeps
    // that wait even, where 200 writes sent at once to DynamoDB Local time out at the SDK (503
    // DEPENDENCY_UNAVAILABLE) and at the harness. Override with BENCH_APP_<NAME>.
    RATE_LIMIT_WRITES: '100000',
    RATE_LIMIT_READS: '0',
    WRITE_QUEUE_TIMEOUT_MS: '60000',
    // The heap cap the image runs the apps with (Dockerfile): peak RSS is measured as deployed.
    NODE_OPTIONS: IMAGE_NODE_OPTIONS,
    ...appOverrides(parent),
  };
}
