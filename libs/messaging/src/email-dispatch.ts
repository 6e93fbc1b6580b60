import { Injectable } from '@nestjs/common';
import type { OutboxEvent } from '@app/data';
import { EmailProducer } from './email.producer';

/** What the request path does with an outbox event's email once its transaction committed. */
export interface EmailDispatch {
  dispatch(event: OutboxEvent): Promise<void>;
}

export const EMAIL_DISPATCH = Symbol('EMAIL_DISPATCH');

/**
 * The product's dispatch: the job is handed to BullMQ without waiting; a failed enqueue leaves the
 * event pending for the outbox relay, so the request never waits on Redis, SMTP or a worker.
 */
@Injectable()
export class QueuedEmailDispatch implements EmailDispatch {
  constructor(private readonly producer: EmailProducer) {}

  dispatch(event: OutboxEvent): Promise<void> {
    void this.producer.enqueue(event);
    return Promise.resolve();
  }
}
