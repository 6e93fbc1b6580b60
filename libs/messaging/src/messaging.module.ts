import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { QueueConfig, RedisConfig } from '@app/common';
import { OutboxRepository } from '@app/data';
import { EMAIL_QUEUE, emailJobOptions } from './email-queue';
import { EmailProducer } from './email.producer';
import { EmailSender } from './email.sender';
import { Mailer } from './mailer';
import { QueueReadiness } from './queue.readiness';
import { producerConnection } from './redis-connections';

/**
 * The email queue (producer side), the sender and the SMTP client. Workers live in apps/notifications
 * and bring their own connection (see EmailProcessor). Global so that readiness checks, which the
 * platform module instantiates, can reach the queue.
 */
const bullRoot = BullModule.forRootAsync({
  inject: [ConfigService],
  useFactory: (config: ConfigService) => ({
    connection: producerConnection(config.getOrThrow<RedisConfig>('redis').url),
    prefix: config.getOrThrow<QueueConfig>('queue').prefix,
  }),
});

const emailQueue = BullModule.registerQueueAsync({
  name: EMAIL_QUEUE,
  inject: [ConfigService],
  useFactory: (config: ConfigService) => ({
    defaultJobOptions: emailJobOptions(config.getOrThrow<QueueConfig>('queue')),
  }),
});

@Global()
@Module({
  imports: [bullRoot, emailQueue],
  providers: [EmailProducer, EmailSender, Mailer, OutboxRepository, QueueReadiness],
  exports: [emailQueue, EmailProducer, EmailSender, Mailer, OutboxRepository, QueueReadiness],
})
export class MessagingModule {}
