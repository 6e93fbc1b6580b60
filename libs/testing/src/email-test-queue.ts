import { Queue } from 'bullmq';
import { queueConfig } from '@app/common';
import { EMAIL_QUEUE, emailJobOptions, producerConnection } from '@app/messaging';

/** A producer on the email queue of a test stack (its own REDIS_URL and QUEUE_PREFIX), as the apps build it. */
export function emailTestQueue(env: { REDIS_URL: string; QUEUE_PREFIX: string }): Queue {
  return new Queue(EMAIL_QUEUE, {
    connection: producerConnection(env.REDIS_URL),
    prefix: env.QUEUE_PREFIX,
    defaultJobOptions: emailJobOptions(queueConfig()),
  });
}

/** Removes everything the test put in the queue's keys, then closes it. */
export async function removeEmailTestQueue(queue: Queue | undefined): Promise<void> {
  await queue?.obliterate({ force: true });
  await queue?.close();
}
