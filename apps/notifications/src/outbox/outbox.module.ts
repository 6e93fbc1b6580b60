import { Module } from '@nestjs/common';
import { DataModule } from '@app/data';
import { MessagingModule } from '@app/messaging';
import { OutboxRelay } from './outbox.relay';

@Module({ imports: [DataModule, MessagingModule], providers: [OutboxRelay] })
export class OutboxModule {}
