// class-transformer's @Type reads decorator metadata: the schema works wherever it is imported first.
import 'reflect-metadata';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

/**
 * The one boolean parser of every setting (apps and launcher): `true`/`false`/`1`/`0`, any case.
 * Anything else stays a string, which @IsBoolean then refuses by name: `CACHE_ENABLED=ture` stops
 * startup rather than meaning false.
 */
export const booleanFlag = ({ value }: { value: unknown }): unknown => {
  const word = typeof value === 'string' ? value.trim().toLowerCase() : value;
  if (word === 'true' || word === '1') return true;
  if (word === 'false' || word === '0') return false;
  return value;
};

const PORT_NUMBER =
  '(?:6553[0-5]|655[0-2]\\d|65[0-4]\\d{2}|6[0-4]\\d{3}|[1-5]\\d{4}|[1-9]\\d{0,3})';
const CLUSTER_NODES = new RegExp(`^[^\\s,:]+:${PORT_NUMBER}(?:,[^\\s,:]+:${PORT_NUMBER})*$`);

/**
 * Whether keys starting with `prefix` hash by a tag in it (Redis hashes the text between the first
 * `{` and the next `}`, when not empty): BullMQ's scripts span a queue's keys, so they must share one slot.
 */
export function isHashTagged(prefix: string): boolean {
  const open = prefix.indexOf('{');
  return open >= 0 && prefix.indexOf('}', open + 1) > open + 1;
}

/**
 * Every environment variable the apps read, with its default. The README's
 * configuration table documents the same list; keep them in step.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV = 'development';

  @Type(() => Number)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsString()
  BODY_LIMIT = '100kb';

  // Deeper JSON is refused before anything walks it: class-transformer recurses once per level.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  BODY_MAX_DEPTH = 10;

  // Slow and idle clients: a request must arrive whole within HTTP_REQUEST_TIMEOUT_MS and its
  // headers (also a new connection's first request) within HTTP_HEADERS_TIMEOUT_MS; an idle
  // keep-alive socket is closed after HTTP_KEEP_ALIVE_TIMEOUT_MS; at most HTTP_MAX_CONNECTIONS open.
  @Type(() => Number)
  @IsInt()
  @Min(500)
  @Max(600000)
  HTTP_REQUEST_TIMEOUT_MS = 30000;

  @Type(() => Number)
  @IsInt()
  @Min(200)
  @Max(600000)
  HTTP_HEADERS_TIMEOUT_MS = 10000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS = 5000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000000)
  HTTP_MAX_CONNECTIONS = 10000;

  // Express's `trust proxy`: false, a hop count, or addresses/subnets (`loopback, 10.0.0.0/8`).
  // The per-IP read limit keys on req.ip, which is the proxy's address unless it is trusted.
  @IsString()
  @Matches(/^[\w.:/, -]+$/)
  TRUST_PROXY = 'false';

  // Set: /metrics is served only on this port (keep it off the public ingress), 404 on PORT.
  @Type(() => Number)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  METRICS_PORT?: number;

  // Swagger UI and the OpenAPI document at /docs; turn off in production.
  @IsBoolean()
  @Transform(booleanFlag)
  DOCS_ENABLED = true;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  // Quiet hits: the share of fast, successful cache hits still access-logged, and what "slow" is.
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  ACCESS_LOG_HIT_SAMPLE = 0.01;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(600000)
  ACCESS_LOG_SLOW_MS = 1000;

  @IsBoolean()
  @Transform(booleanFlag)
  LOG_PRETTY = false;

  @IsString()
  @MinLength(16)
  CURSOR_SECRET = 'dev-cursor-secret-change-me';

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  DYNAMODB_ENDPOINT?: string;

  @IsString()
  AWS_REGION = 'us-east-1';

  @IsOptional()
  @IsString()
  AWS_ACCESS_KEY_ID?: string;

  @IsOptional()
  @IsString()
  AWS_SECRET_ACCESS_KEY?: string;

  @IsString()
  TABLE_PREFIX = 'creg_';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  DYNAMODB_MAX_SOCKETS = 256;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60000)
  DYNAMODB_TIMEOUT_MS = 3000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  DYNAMODB_MAX_ATTEMPTS = 3;

  // How long a transaction's conflicts and throttling are retried (full jitter) before a 503.
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(30000)
  DYNAMODB_RETRY_BUDGET_MS = 1500;

  // Admission control: this many writes at once per instance; a write that cannot start within the
  // timeout gets 503 OVERLOADED (nothing sent) instead of queueing for seconds.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  DYNAMODB_MAX_INFLIGHT_WRITES = 64;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60000)
  WRITE_QUEUE_TIMEOUT_MS = 1000;

  @IsUrl({ require_tld: false, protocols: ['redis', 'rediss'], require_protocol: true })
  REDIS_URL = 'redis://127.0.0.1:6379';

  // The cache may live on its own Redis (maxmemory-policy allkeys-lru); queues need noeviction.
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['redis', 'rediss'], require_protocol: true })
  CACHE_REDIS_URL?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['redis', 'rediss'], require_protocol: true })
  QUEUE_REDIS_URL?: string;

  // Redis Cluster: seed nodes of one cluster that then serves the cache and the queues alike.
  @IsOptional()
  @Matches(CLUSTER_NODES, { message: 'must be host:port[,host:port…] with ports 1-65535' })
  REDIS_CLUSTER_NODES?: string;

  @IsBoolean()
  @Transform(booleanFlag)
  CACHE_ENABLED = true;

  // Hits of public cached GETs answered by the cache's middleware before Nest's pipeline.
  @Transform(booleanFlag)
  @IsBoolean()
  CACHE_HIT_PATH = true;

  // The credit limit of a term without its own max_credits, for a student without an override.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(40)
  REGISTRATION_DEFAULT_MAX_CREDITS = 18;

  // Per-caller limit on registration writes (enroll, drop), counted in Redis across instances.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  RATE_LIMIT_WRITES = 30;

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(3600000)
  RATE_LIMIT_WINDOW_MS = 60000;

  // Per-client-IP limit on reads (GET of the API), in the same window; 0 turns it off.
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10000000)
  RATE_LIMIT_READS = 1200;

  @IsString()
  CACHE_PREFIX = 'creg:cache';

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  CACHE_TTL_MS = 300000;

  @Type(() => Number)
  @IsInt()
  @Min(5)
  @Max(5000)
  CACHE_TIMEOUT_MS = 250;

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  CACHE_MAX_ENTRY_BYTES = 262144;

  // An entry read from an index within this long of a bump of one of its tags lives no longer than
  // this: a GSI is eventually consistent, and its pre-write answer must not be cached for the TTL.
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60000)
  CACHE_INDEX_LAG_MS = 2000;

  // Cold-key stampede guard across instances: one loads under a Redis lease, the others wait for its
  // entry up to this long, then load themselves (0 turns the lease off).
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60000)
  CACHE_LEASE_MS = 2000;

  // The in-process L1 in front of Redis (entries and tag versions), in bytes; 0 turns it off.
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1073741824)
  CACHE_L1_MAX_BYTES = 33554432;

  // How long L1 keeps an item: how stale an instance may be when a tag-bus message is lost.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  CACHE_L1_TTL_MS = 500;

  // How long a course's seat fields (merged into cached list pages) are kept in Redis: stored under
  // the version of the course's seats tag, which every enroll, drop and course update bumps, so this
  // bounds memory and a write that would not bump it (as the detail's 60 s TTL does), not staleness.
  // Each expiry costs a consistent read of the course, on the request that finds it gone.
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(300000)
  CACHE_SEATS_TTL_MS = 60000;

  // Class search shows seats (DESIGN §8): list items carry seats_available, waitlist_count and
  // status, merged per request into the cached page. false serves the stable page alone (benchmark).
  @Transform(booleanFlag)
  @IsBoolean()
  CATALOG_SEATS_IN_LIST = true;

  // Tests only: false keeps a killed tag-bus subscriber down, to prove the CACHE_L1_TTL_MS bound.
  @Transform(booleanFlag)
  @IsBoolean()
  CACHE_L1_BUS_RECONNECT = true;

  // Tag versions are written by invalidations and by the stores that need them, and expire.
  @Type(() => Number)
  @IsInt()
  @Min(60000)
  CACHE_TAG_TTL_MS = 86400000;

  @IsString()
  @MinLength(16)
  JWT_SECRET = 'dev-jwt-secret-change-me-please';

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  JWKS_URL?: string;

  @IsOptional()
  @IsString()
  JWT_ISSUER?: string;

  @IsOptional()
  @IsString()
  JWT_AUDIENCE?: string;

  // Unset: every token must carry `exp`. Set: a token without `exp` is accepted while its `iat` is younger.
  @Type(() => Number)
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(2592000)
  JWT_MAX_AGE_S?: number;

  // Queues (BullMQ). The braces make the prefix a Redis Cluster hash tag: all of a queue's keys in one slot.
  @IsString()
  @MinLength(1)
  QUEUE_PREFIX = '{creg}';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  EMAIL_CONCURRENCY = 5;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  EMAIL_ATTEMPTS = 8;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600000)
  EMAIL_BACKOFF_MS = 1000;

  // How long a worker holds a job before another may take it over as stalled, and how often workers look.
  @Type(() => Number)
  @IsInt()
  @Min(500)
  @Max(600000)
  EMAIL_LOCK_DURATION_MS = 30000;

  @Type(() => Number)
  @IsInt()
  @Min(500)
  @Max(600000)
  EMAIL_STALLED_INTERVAL_MS = 30000;

  // A send claim lasts this long unless its sender renews it (it does while SMTP runs), so the claim
  // of a sender that died, or whose claim committed after its own timeout, lapses this soon.
  @Type(() => Number)
  @IsInt()
  @Min(500)
  @Max(600000)
  EMAIL_CLAIM_LEASE_MS = 10000;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(600000)
  WORKER_SHUTDOWN_TIMEOUT_MS = 10000;

  // Email (nodemailer over SMTP).
  @IsUrl({ require_tld: false, protocols: ['smtp', 'smtps'], require_protocol: true })
  SMTP_URL = 'smtp://127.0.0.1:2525';

  @IsString()
  @MinLength(3)
  MAIL_FROM = 'Course Registration <no-reply@example.edu>';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  SMTP_POOL_SIZE = 5;

  // The queue dashboard (/admin/queues, notifications app) takes an admin JWT; for a browser, HTTP
  // basic auth with these credentials too (both set, the password ≥ 12 chars, or basic auth is off).
  @IsOptional()
  @IsString()
  @MinLength(1)
  ADMIN_BASIC_AUTH_USER?: string;

  @IsOptional()
  @IsString()
  @MinLength(12)
  ADMIN_BASIC_AUTH_PASSWORD?: string;

  // Outbox relay (apps/notifications): enqueues events the request path failed to enqueue.
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(3600000)
  OUTBOX_RELAY_INTERVAL_MS = 2000;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(86400000)
  OUTBOX_RELAY_GRACE_MS = 5000;

  @IsBoolean()
  @Transform(booleanFlag)
  OUTBOX_RELAY_ENABLED = true;

  // Waitlist promotion worker (apps/enrollments, DESIGN §9); several instances are safe.
  @IsBoolean()
  @Transform(booleanFlag)
  WAITLIST_WORKER_ENABLED = true;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  WAITLIST_WORKER_CONCURRENCY = 4;
}

const DEV_SECRETS = ['JWT_SECRET', 'CURSOR_SECRET'] as const;

/**
 * Coerces a settings class from raw variables, applies its defaults, and names every bad variable
 * (and any `extra` problem) in one error. Explicit @Type/@Transform rather than implicit conversion:
 * scripts run under tsx, which emits no decorator type metadata.
 */
export function validateSettings<T extends object>(
  schema: new () => T,
  raw: Record<string, unknown>,
  extra: (settings: T) => string[] = () => [],
): T {
  const settings = plainToInstance(schema, raw, { exposeDefaultValues: true });
  const errors = validateSync(settings, { skipMissingProperties: false });
  const lines = errors.map(
    (e) =>
      `  ${e.property}=${JSON.stringify(raw[e.property])}: ${Object.values(e.constraints ?? {}).join('; ')}`,
  );
  lines.push(...(errors.length === 0 ? extra(settings) : []).map((line) => `  ${line}`));
  if (lines.length > 0) throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  return settings;
}

/** The apps' settings, validated; production refuses the development secrets. */
export function validateEnv(raw: Record<string, unknown>): EnvironmentVariables {
  const defaults = new EnvironmentVariables();
  return validateSettings(EnvironmentVariables, raw, (env) => [
    ...(env.NODE_ENV === 'production'
      ? DEV_SECRETS.filter((k) => env[k] === defaults[k]).map(
          (k) => `${k}: must be set in production (the default is a development secret)`,
        )
      : []),
    ...((env.ADMIN_BASIC_AUTH_USER === undefined) !== (env.ADMIN_BASIC_AUTH_PASSWORD === undefined)
      ? ['ADMIN_BASIC_AUTH_USER, ADMIN_BASIC_AUTH_PASSWORD: set both or neither']
      : []),
    ...(env.REDIS_CLUSTER_NODES && !isHashTagged(env.QUEUE_PREFIX)
      ? [
          `QUEUE_PREFIX=${JSON.stringify(env.QUEUE_PREFIX)}: must contain a hash tag such as {creg} when REDIS_CLUSTER_NODES is set`,
        ]
      : []),
  ]);
}
