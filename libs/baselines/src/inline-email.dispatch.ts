import { Injectable } from '@nestjs/common';
import { OutboxEvent } from '@app/data';
import { EmailDispatch, EmailSender, toEmailJob } from '@app/messaging';

/** Baseline of the email path: the request itself sends the email over SMTP before it answers. */
@Injectable()
export class InlineEmailDispatch implements EmailDispatch {
  constructor(private readonly sender: EmailSender) {}

  async dispatch(event: OutboxEvent): Promise<void> {
    await this.sender.send(toEmailJob(event));
  }
}
