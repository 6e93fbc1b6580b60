import { Injectable } from '@nestjs/common';
import { OutboxEvent, SILENT_EVENTS } from '@app/data';
import { EmailDispatch, EmailSender, toEmailJob } from '@app/messaging';

/** Baseline of the email path: the request itself sends the email over SMTP before it answers. */
@Injectable()
export class InlineEmailDispatch implements EmailDispatch {
  constructor(private readonly sender: EmailSender) {}

  async dispatch(event: OutboxEvent): Promise<void> {
    // Silent events (a waitlist left, …) have no email; their promotion walk is the relay's to queue.
    if (SILENT_EVENTS.has(event.type)) return;
    await this.sender.send(toEmailJob(event));
  }
}
