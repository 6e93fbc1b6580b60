import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { AppCacheModule, CacheReadiness } from '@app/cache';
import { PlatformModule } from '@app/common';
import { DataModule, DynamoDbReadiness } from '@app/data';
import { MessagingModule, QueueReadiness } from '@app/messaging';
import { EmailModule } from './email/email.module';
import { OutboxModule } from './outbox/outbox.module';
import { QueuesModule } from './queues/queues.module';

@Module({
  imports: [
    PlatformModule.forApp({
      name: 'notifications',
      readiness: [DynamoDbReadiness, CacheReadiness, QueueReadiness],
    }),
    AppCacheModule,
    AuthModule,
    DataModule,
    EmailModule,
    MessagingModule,
    OutboxModule,
    QueuesModule,
  ],
})
export class NotificationsModule {}
