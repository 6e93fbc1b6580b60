import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { queueConfig } from '@app/common';
import type { QueueConfig, RedisClient } from '@app/common';
import { DataModule } from '@app/data';
import { EMAIL_QUEUE, emailJobOptions } from './email-queue';
import { QueuedEmailDispatch } from './email-dispatch';
import { EmailProducer } from './email.producer';
import { EmailSender } from './email.sender';
import { PROMOTION_JOB_OPTIONS, WAITLIST_QUEUE } from './waitlist-queue';
import { Mailer } from './mailer';
import { QueueReadiness } from './queue.readiness';
import { QUEUE_REDIS, QueueRedisModule } from './queue-redis.module';

// The prefix carries the {creg} hash tag (checked at startup in cluster mode): BullMQ's scripts
// span a queue's keys, which must then share one slot.
const bullRoot = BullModule.forRootAsync({
  imports: [QueueRedisModule],
  inject: [QUEUE_REDIS, queueConfig.KEY],
  useFactory: (connection: RedisClient, queue: QueueConfig) => ({
    connection,
    prefix: queue.prefix,
  }),
});

const emailQueue = BullModule.registerQueueAsync(
  {
    name: EMAIL_QUEUE,
    inject: [queueConfig.KEY],
    useFactory: (queue: QueueConfig) => ({ defaultJobOptions: emailJobOptions(queue) }),
  },
  // The promotion walks (DESIGN §9), fed from the same outbox events; the worker is the enrollments app's.
  { name: WAITLIST_QUEUE, useFactory: () => ({ defaultJobOptions: PROMOTION_JOB_OPTIONS }) },
);

/**
 * The email queue, producer side: the queue (default job options), the producer, the product's
 * email dispatch and the queue's readiness check. Workers live in apps/notifications and bring
 * their own connection (see EmailProcessor); sending is EmailSendingModule's.
 */
@Module({
  imports: [bullRoot, emailQueue, DataModule],
  providers: [EmailProducer, QueuedEmailDispatch, QueueReadiness],
  exports: [emailQueue, EmailProducer, QueuedEmailDispatch, QueueReadiness],
})
export class MessagingModule {}

/** Sending one event's email over SMTP: the sender (claim, send, SENT marker) and its pooled client. */
@Module({
  imports: [DataModule],
  providers: [EmailSender, Mailer],
  exports: [EmailSender],
})
export class EmailSendingModule {}
