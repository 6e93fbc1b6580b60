import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { mailConfig } from '@app/common';
import type { MailConfig } from '@app/common';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

/** nodemailer's pool takes `{ force }` (its typings do not say so yet). */
type ForceClosable = { close(options: { force: boolean }): void };

/** The SMTP client: one pooled transport per process, closed on shutdown. */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private transport?: Transporter;
  constructor(@Inject(mailConfig.KEY) private readonly config: MailConfig) {}

  async send(email: OutgoingEmail): Promise<void> {
    // Created on first use: the pool opens connections only when there is mail to send.
    this.transport ??= createTransport({
      url: this.config.smtpUrl,
      pool: true,
      maxConnections: this.config.poolSize,
      // Bounded waits: a hung SMTP server fails the attempt and BullMQ retries it with backoff.
      connectionTimeout: 5000,
      greetingTimeout: 5000,
      socketTimeout: 20000,
    });
    await this.transport.sendMail({ from: this.config.from, ...email });
  }

  /**
   * Runs after the email worker's beforeApplicationShutdown has waited out its deadline, so any
   * delivery still in progress was abandoned: its job is redelivered as stalled. A plain close()
   * would let that delivery finish, and the redelivery would send the email a second time; `force`
   * hangs up before the server's 250 reply, so only the redelivery is accepted.
   */
  onApplicationShutdown(): void {
    (this.transport as ForceClosable | undefined)?.close({ force: true });
    this.transport = undefined;
  }
}
