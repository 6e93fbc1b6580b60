import { Processor } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { queueConfig, QueueConfig, redisConfig, RedisConfig } from '@app/common';
import { EMAIL_QUEUE, EmailSendingModule, MessagingModule } from '@app/messaging';
import { EMAIL_WORKER_OPTIONS, emailWorkerOptions } from './email-worker.options';
import { EmailQueueMetrics } from './email.metrics';
import { EmailProcessor } from './email.processor';

@Module({
  imports: [EmailSendingModule, MessagingModule],
  providers: [
    {
      provide: EMAIL_WORKER_OPTIONS,
      inject: [queueConfig.KEY, redisConfig.KEY],
      useFactory: (queue: QueueConfig, redis: RedisConfig) => {
        const options = emailWorkerOptions(queue, redis);
        // @Processor options are fixed at import time, but the connection and concurrency come from the
        // validated config. @nestjs/bullmq reads them when it creates the worker (its onModuleInit, after
        // every provider exists), so the decorator is applied again here with the configured values.
        const { shutdownTimeoutMs: _, ...workerOptions } = options;
        Processor(EMAIL_QUEUE, workerOptions)(EmailProcessor);
        return options;
      },
    },
    EmailProcessor,
    EmailQueueMetrics,
  ],
})
export class EmailModule {}
