import { ConfigType, registerAs } from '@nestjs/config';
import { EnvironmentVariables, validateEnv } from './env.schema';

// Each namespace reads the validated, typed environment (defaults applied, strings coerced).
// Nothing outside libs/common/src/config reads process.env.
const env = () => validateEnv(process.env);

export const dynamodbConfig = registerAs('dynamodb', () => {
  const e = env();
  return {
    endpoint: e.DYNAMODB_ENDPOINT,
    region: e.AWS_REGION,
    accessKeyId: e.AWS_ACCESS_KEY_ID,
    secretAccessKey: e.AWS_SECRET_ACCESS_KEY,
    tablePrefix: e.TABLE_PREFIX,
    maxSockets: e.DYNAMODB_MAX_SOCKETS,
    timeoutMs: e.DYNAMODB_TIMEOUT_MS,
    maxAttempts: e.DYNAMODB_MAX_ATTEMPTS,
    retryBudgetMs: e.DYNAMODB_RETRY_BUDGET_MS,
    maxInflightWrites: e.DYNAMODB_MAX_INFLIGHT_WRITES,
    writeQueueTimeoutMs: e.WRITE_QUEUE_TIMEOUT_MS,
  };
});

/**
 * The cache's Redis and the queues' Redis: one server unless CACHE_REDIS_URL / QUEUE_REDIS_URL split
 * them; with REDIS_CLUSTER_NODES, one Redis Cluster for both (the URLs are then not used).
 */
export const redisConfig = registerAs('redis', () => redisSettings(env()));

/** The redis namespace of already validated settings (for tools and tests that hold them). */
export function redisSettings(e: EnvironmentVariables) {
  return {
    cacheUrl: e.CACHE_REDIS_URL ?? e.REDIS_URL,
    queueUrl: e.QUEUE_REDIS_URL ?? e.REDIS_URL,
    clusterNodes: e.REDIS_CLUSTER_NODES ? parseClusterNodes(e.REDIS_CLUSTER_NODES) : undefined,
  };
}

/** `host:port,host:port` (validated by the schema) as ioredis Cluster startup nodes. */
export function parseClusterNodes(list: string): { host: string; port: number }[] {
  return list.split(',').map((node) => {
    const at = node.lastIndexOf(':');
    return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
  });
}

export const cacheConfig = registerAs('cache', () => {
  const e = env();
  return {
    enabled: e.CACHE_ENABLED,
    hitPath: e.CACHE_HIT_PATH,
    prefix: e.CACHE_PREFIX,
    ttlMs: e.CACHE_TTL_MS,
    timeoutMs: e.CACHE_TIMEOUT_MS,
    maxEntryBytes: e.CACHE_MAX_ENTRY_BYTES,
    tagTtlMs: e.CACHE_TAG_TTL_MS,
    indexLagMs: e.CACHE_INDEX_LAG_MS,
    leaseMs: e.CACHE_LEASE_MS,
    l1MaxBytes: e.CACHE_L1_MAX_BYTES,
    l1TtlMs: e.CACHE_L1_TTL_MS,
    l1BusReconnect: e.CACHE_L1_BUS_RECONNECT,
  };
});

/** Class search: the seat fields merged into list pages, and how long they are cached. */
export const catalogConfig = registerAs('catalog', () => {
  const e = env();
  return { seatsInList: e.CATALOG_SEATS_IN_LIST, seatsTtlMs: e.CACHE_SEATS_TTL_MS };
});
export type CatalogConfig = ConfigType<typeof catalogConfig>;

export const registrationConfig = registerAs('registration', () => ({
  defaultMaxCredits: env().REGISTRATION_DEFAULT_MAX_CREDITS,
}));
export type RegistrationConfig = ConfigType<typeof registrationConfig>;

export const rateLimitConfig = registerAs('rateLimit', () => {
  const e = env();
  return {
    writes: e.RATE_LIMIT_WRITES,
    reads: e.RATE_LIMIT_READS,
    windowMs: e.RATE_LIMIT_WINDOW_MS,
  };
});

export const authConfig = registerAs('auth', () => {
  const e = env();
  return {
    jwtSecret: e.JWT_SECRET,
    jwksUrl: e.JWKS_URL,
    issuer: e.JWT_ISSUER,
    audience: e.JWT_AUDIENCE,
    maxAgeSeconds: e.JWT_MAX_AGE_S,
  };
});

export const httpConfig = registerAs('http', () => {
  const e = env();
  return {
    port: e.PORT,
    bodyLimit: e.BODY_LIMIT,
    bodyMaxDepth: e.BODY_MAX_DEPTH,
    logLevel: e.LOG_LEVEL,
    logPretty: e.LOG_PRETTY,
    accessLogHitSample: e.ACCESS_LOG_HIT_SAMPLE,
    accessLogSlowMs: e.ACCESS_LOG_SLOW_MS,
    cursorSecret: e.CURSOR_SECRET,
    trustProxy: trustProxy(e.TRUST_PROXY),
    metricsPort: e.METRICS_PORT,
    docsEnabled: e.DOCS_ENABLED,
    server: {
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: e.HTTP_MAX_CONNECTIONS,
    },
  };
});

/** Express's `trust proxy` value: a boolean, a hop count, or the list of trusted addresses. */
function trustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** Who may open the queue dashboard with HTTP basic auth (admins with a JWT always may). */
export const adminConfig = registerAs('admin', () => {
  const e = env();
  const { ADMIN_BASIC_AUTH_USER: user, ADMIN_BASIC_AUTH_PASSWORD: password } = e;
  return { basicAuth: user && password ? { user, password } : undefined };
});

/** BullMQ: key prefix and the email queue's worker and retry settings. */
export const queueConfig = registerAs('queue', () => {
  const e = env();
  return {
    prefix: e.QUEUE_PREFIX,
    emailConcurrency: e.EMAIL_CONCURRENCY,
    emailAttempts: e.EMAIL_ATTEMPTS,
    emailBackoffMs: e.EMAIL_BACKOFF_MS,
    lockDurationMs: e.EMAIL_LOCK_DURATION_MS,
    stalledIntervalMs: e.EMAIL_STALLED_INTERVAL_MS,
    claimLeaseMs: e.EMAIL_CLAIM_LEASE_MS,
    workerShutdownTimeoutMs: e.WORKER_SHUTDOWN_TIMEOUT_MS,
  };
});

export const mailConfig = registerAs('mail', () => {
  const e = env();
  return { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, poolSize: e.SMTP_POOL_SIZE };
});

export const outboxConfig = registerAs('outbox', () => {
  const e = env();
  return {
    relayIntervalMs: e.OUTBOX_RELAY_INTERVAL_MS,
    relayGraceMs: e.OUTBOX_RELAY_GRACE_MS,
    relayEnabled: e.OUTBOX_RELAY_ENABLED,
  };
});

/** The waitlist promotion worker of the enrollments app. */
export const waitlistConfig = registerAs('waitlist', () => {
  const e = env();
  return {
    workerEnabled: e.WAITLIST_WORKER_ENABLED,
    workerConcurrency: e.WAITLIST_WORKER_CONCURRENCY,
  };
});

export const allConfig = [
  adminConfig,
  authConfig,
  cacheConfig,
  catalogConfig,
  dynamodbConfig,
  httpConfig,
  mailConfig,
  outboxConfig,
  queueConfig,
  rateLimitConfig,
  registrationConfig,
  redisConfig,
  waitlistConfig,
];
export type AdminConfig = ConfigType<typeof adminConfig>;
export type DynamodbConfig = ConfigType<typeof dynamodbConfig>;
export type RedisConfig = ConfigType<typeof redisConfig>;
export type CacheConfig = ConfigType<typeof cacheConfig>;
export type AuthConfig = ConfigType<typeof authConfig>;
export type HttpConfig = ConfigType<typeof httpConfig>;
export type QueueConfig = ConfigType<typeof queueConfig>;
export type MailConfig = ConfigType<typeof mailConfig>;
export type OutboxConfig = ConfigType<typeof outboxConfig>;
export type WaitlistConfig = ConfigType<typeof waitlistConfig>;
export type RateLimitConfig = ConfigType<typeof rateLimitConfig>;
