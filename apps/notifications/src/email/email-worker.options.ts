import { WorkerOptions } from 'bullmq';
import { RedisOptions } from 'ioredis';
import { QueueConfig, RedisConfig } from '@app/common';
import { workerConnection } from '@app/messaging';

export const EMAIL_WORKER_OPTIONS = Symbol('EMAIL_WORKER_OPTIONS');

export interface EmailWorkerOptions extends Omit<WorkerOptions, 'connection'> {
  connection: RedisOptions;
  /** How long shutdown waits for in-flight emails before leaving them to be redelivered as stalled. */
  shutdownTimeoutMs: number;
}

export function emailWorkerOptions(queue: QueueConfig, redis: RedisConfig): EmailWorkerOptions {
  return {
    // Its own connection: workers need maxRetriesPerRequest null and no command timeout, unlike producers.
    connection: workerConnection(redis.queueUrl),
    prefix: queue.prefix,
    concurrency: queue.emailConcurrency,
    // A job whose worker died is taken over once its lock expires (lockDuration) and a worker's
    // stalled check sees it (stalledInterval); its send claim (EMAIL_CLAIM_LEASE_MS) has lapsed by
    // then, and the SENT marker or the job's smtp_accepted_at note stops a second send.
    lockDuration: queue.lockDurationMs,
    stalledInterval: queue.stalledIntervalMs,
    shutdownTimeoutMs: queue.workerShutdownTimeoutMs,
  };
}
