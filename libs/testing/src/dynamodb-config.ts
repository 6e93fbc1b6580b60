import type { DynamodbConfig } from '@app/common';
// The schema file alone: the benchmark harness imports this module without the rest of @app/common.
import { EnvironmentVariables } from '@app/common/config/env.schema';

const APP_DEFAULTS = new EnvironmentVariables();

/** Where a DynamoDB Local is, as an environment says it (in a jest run: what the global setup set). */
export type DynamoDbLocalEnv = Pick<
  EnvironmentVariables,
  'DYNAMODB_ENDPOINT' | 'AWS_REGION' | 'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY'
>;

export interface LocalDynamoDbOptions {
  tablePrefix: string;
  /** Endpoint, region and keys from this environment (an explicit option below wins). */
  env?: DynamoDbLocalEnv;
  /** The DynamoDB Local's URL; required unless `env` has DYNAMODB_ENDPOINT. */
  endpoint?: string;
  /** Default us-east-1 (DynamoDB Local started with -sharedDb shows every region the same tables). */
  region?: string;
  /** Default `local` (DynamoDB Local accepts any key). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Default 64 keep-alive sockets. */
  maxSockets?: number;
  /** Connection and request timeout; default 5 s. */
  timeoutMs?: number;
  /** Default 3 (the SDK's standard retry mode). */
  maxAttempts?: number;
  /** How long transactions retry conflicts and throttling; default as the apps. */
  retryBudgetMs?: number;
}

/**
 * The DynamodbConfig of a client on a DynamoDB Local, for tests and the benchmark harness
 * (the apps build theirs from their config namespace). Refuses to build one without an endpoint:
 * the SDK would then talk to AWS.
 */
export function localDynamoDbConfig(options: LocalDynamoDbOptions): DynamodbConfig {
  const { env } = options;
  const endpoint = options.endpoint ?? env?.DYNAMODB_ENDPOINT;
  if (!endpoint) {
    throw new Error('localDynamoDbConfig: no endpoint (is DYNAMODB_ENDPOINT set?)');
  }
  return {
    endpoint,
    region: options.region ?? env?.AWS_REGION ?? 'us-east-1',
    accessKeyId: options.accessKeyId ?? env?.AWS_ACCESS_KEY_ID ?? 'local',
    secretAccessKey: options.secretAccessKey ?? env?.AWS_SECRET_ACCESS_KEY ?? 'local',
    tablePrefix: options.tablePrefix,
    maxSockets: options.maxSockets ?? 64,
    timeoutMs: options.timeoutMs ?? 5000,
    maxAttempts: options.maxAttempts ?? 3,
    // Retries and admission as the apps have them by default.
    retryBudgetMs: options.retryBudgetMs ?? APP_DEFAULTS.DYNAMODB_RETRY_BUDGET_MS,
    maxInflightWrites: APP_DEFAULTS.DYNAMODB_MAX_INFLIGHT_WRITES,
    writeQueueTimeoutMs: APP_DEFAULTS.WRITE_QUEUE_TIMEOUT_MS,
  };
}
