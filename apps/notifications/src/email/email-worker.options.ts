import { WorkerOptions } from 'bullmq';
import { QueueConfig, RedisClient } from '@app/common';

export const EMAIL_WORKER_OPTIONS = Symbol('EMAIL_WORKER_OPTIONS');
/** The workers' own connection (role `queue-worker`), `Redis` or `Cluster`. */
export const EMAIL_WORKER_REDIS = Symbol('EMAIL_WORKER_REDIS');

export interface EmailWorkerOptions extends Omit<WorkerOptions, 'connection'> {
  connection: RedisClient;
  /** How long shutdown waits for in-flight emails before leaving them to be redelivered as stalled. */
  shutdownTimeoutMs: number;
}

export function emailWorkerOptions(
  queue: QueueConfig,
  connection: RedisClient,
): EmailWorkerOptions {
  return {
    // Its own connection: workers need maxRetriesPerRequest null and no command timeout, unlike
    // producers. BullMQ duplicates it for its blocking fetches, and leaves it open (EmailModule closes it).
    connection,
    // A hash tag in cluster mode (env.schema refuses one without): a queue's keys share one slot.
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
