import { Queue } from 'bullmq';
import {
  closeRedis,
  createRedisClient,
  EnvironmentVariables,
  queueConfig,
  redisSettings,
} from '@app/common';
import type { RedisClient } from '@app/common';
import { EMAIL_QUEUE, emailJobOptions } from '@app/messaging';

/** A producer on the email queue of a test stack (its own Redis or cluster and QUEUE_PREFIX), as the apps build it. */
export function emailTestQueue(env: EnvironmentVariables): Queue {
  return new Queue(EMAIL_QUEUE, {
    connection: createRedisClient('queue-producer', redisSettings(env)),
    prefix: env.QUEUE_PREFIX,
    defaultJobOptions: emailJobOptions(queueConfig()),
  });
}

/** Removes everything the test put in the queue's keys, then closes it and its connection. */
export async function removeEmailTestQueue(queue: Queue | undefined): Promise<void> {
  if (!queue) return;
  await queue.obliterate({ force: true });
  await queue.close();
  await closeRedis(queue.opts.connection as RedisClient);
}
