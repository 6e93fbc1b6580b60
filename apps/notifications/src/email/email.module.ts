import { Processor } from '@nestjs/bullmq';
import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { closeRedis, queueConfig, QueueConfig, redisClientProvider } from '@app/common';
import type { RedisClient } from '@app/common';
import { EMAIL_QUEUE, EmailSendingModule, MessagingModule } from '@app/messaging';
import {
  EMAIL_WORKER_OPTIONS,
  EMAIL_WORKER_REDIS,
  emailWorkerOptions,
} from './email-worker.options';
import { EmailQueueMetrics } from './email.metrics';
import { EmailProcessor } from './email.processor';

@Module({
  imports: [EmailSendingModule, MessagingModule],
  providers: [
    redisClientProvider(EMAIL_WORKER_REDIS, 'queue-worker'),
    {
      provide: EMAIL_WORKER_OPTIONS,
      inject: [queueConfig.KEY, EMAIL_WORKER_REDIS],
      useFactory: (queue: QueueConfig, connection: RedisClient) => {
        const options = emailWorkerOptions(queue, connection);
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
export class EmailModule implements OnApplicationShutdown {
  constructor(@Inject(EMAIL_WORKER_REDIS) private readonly redis: RedisClient) {}

  /** After EmailProcessor closed the worker (beforeApplicationShutdown). */
  onApplicationShutdown(): Promise<void> {
    return closeRedis(this.redis);
  }
}
