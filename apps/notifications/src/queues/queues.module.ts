import { Module } from '@nestjs/common';
import { MessagingModule } from '@app/messaging';
import { QueuesController } from './queues.controller';

@Module({ imports: [MessagingModule], controllers: [QueuesController] })
export class QueuesModule {}
