import { Processor } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EMAIL_QUEUE } from '@app/messaging';
import { EMAIL_WORKER_OPTIONS, emailWorkerOptions } from './email-worker.options';
import { EmailQueueMetrics } from './email.metrics';
import { EmailProcessor } from './email.processor';

@Module({
  providers: [
    {
      provide: EMAIL_WORKER_OPTIONS,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => {
        const options = emailWorkerOptions(config);
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
