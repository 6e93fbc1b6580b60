import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { PlatformModule } from '@app/common';
import { DataModule, DynamoDbReadiness } from '@app/data';
import { MessagingModule, QueueReadiness } from '@app/messaging';
import { EmailModule } from './email/email.module';
import { OutboxModule } from './outbox/outbox.module';
import { QueueDashboardModule } from './queues/queue-dashboard.module';
import { QueuesModule } from './queues/queues.module';

// No response cache here: nothing this app serves is cacheable.
@Module({
  imports: [
    PlatformModule.forApp({
      name: 'notifications',
      imports: [DataModule, MessagingModule],
      readiness: [DynamoDbReadiness, QueueReadiness],
    }),
    AuthModule,
    EmailModule,
    OutboxModule,
    QueueDashboardModule,
    QueuesModule,
  ],
})
export class NotificationsModule {}
