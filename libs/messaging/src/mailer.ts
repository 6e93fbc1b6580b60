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

  onApplicationShutdown(): void {
    this.transport?.close();
    this.transport = undefined;
  }
}
