import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { LogFn } from './child-process';
import { parseMail } from './mail-parse';

export interface ReceivedMail {
  /** Envelope sender (MAIL FROM). */
  from: string;
  /** Envelope recipients (RCPT TO). */
  to: string[];
  subject: string;
  messageId: string;
  raw: string;
  /** The text/plain body, when the message has one. */
  text?: string;
  receivedAt: Date;
  /** Where the .eml was written, when the sink has a directory. */
  file?: string;
}

export interface SmtpSinkOptions {
  /** Defaults to a free port. */
  port?: number;
  /** When set, each message is stored as `<dir>/<timestamp>-<message-id>.eml`. */
  dir?: string;
  /** Delays the acknowledgement of each message (proves a caller does not wait on SMTP). */
  acceptDelayMs?: number;
  /** Largest accepted message; larger ones are refused with 552. */
  maxBytes?: number;
  /** Receives a one-line summary per message. */
  log?: LogFn;
}

export interface SmtpSink {
  port: number;
  url: string;
  readonly messages: ReceivedMail[];
  /** Resolves with the messages once at least `count` have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  clear(): void;
  /** Stops listening and drops open connections (pooled clients see the server go away). */
  stop(): Promise<void>;
}

const fileSafe = (value: string) =>
  value
    .replace(/^<|>$/g, '')
    .replace(/[^A-Za-z0-9._@-]+/g, '_')
    .slice(0, 120);

/** An SMTP server that accepts everything (no TLS, any or no AUTH) and keeps what it receives. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  const pendingAcks = new Set<NodeJS.Timeout>();
  const closedSessions = new Set<string>();
  if (options.dir) mkdirSync(options.dir, { recursive: true });

  const receive = async (raw: string, from: string, to: string[]): Promise<ReceivedMail> => {
    const parsed = parseMail(raw);
    const receivedAt = new Date();
    const mail: ReceivedMail = { from, to, ...parsed, raw, receivedAt };
    if (options.dir) {
      const stamp = receivedAt.toISOString().replace(/[:.]/g, '-');
      mail.file = join(
        options.dir,
        `${stamp}-${fileSafe(parsed.messageId || `${process.pid}-${messages.length}`)}.eml`,
      );
      await writeFile(mail.file, raw);
    }
    messages.push(mail);
    options.log?.(
      `mail to ${to.join(', ')}: "${mail.subject}"${mail.file ? ` -> ${mail.file}` : ''}`,
    );
    for (const wake of waiters) wake();
    return mail;
  };

  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    size: options.maxBytes ?? 10 * 1024 * 1024,
    logger: false,
    // A sink stops at once; a pooled client that still holds a connection gets 421 and reconnects later.
    closeTimeout: 200,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'sink' }),
    onClose: (session) => {
      if (options.acceptDelayMs) closedSessions.add(session.id);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          const err = Object.assign(new Error('Message exceeds the sink size limit'), {
            responseCode: 552,
          });
          return callback(err);
        }
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const to = session.envelope.rcptTo.map((r) => r.address);
        const ack = () =>
          receive(Buffer.concat(chunks).toString('utf8'), from, to).then(
            () => callback(null),
            (err: Error) => callback(err),
          );
        if (!options.acceptDelayMs) return void ack();
        const timer = setTimeout(() => {
          pendingAcks.delete(timer);
          // Like a server that commits a message only with its 250 reply: a client that hung up
          // before the reply never had its message accepted (and will send it again).
          if (closedSessions.has(session.id))
            return callback(new Error('client disconnected before acceptance'));
          void ack();
        }, options.acceptDelayMs);
        pendingAcks.add(timer);
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // After startup, client-side errors (resets, timeouts) are logged by nothing and must not crash the process.
  server.on('error', () => undefined);
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port!;

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitFor(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length < count) return;
          cleanup();
          resolve([...messages]);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `SMTP sink: expected ${count} messages within ${timeoutMs} ms, got ${messages.length}`,
            ),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    clear() {
      messages.length = 0;
    },
    stop() {
      // A message whose acknowledgement is still delayed was never accepted: the client retries it.
      for (const timer of pendingAcks) clearTimeout(timer);
      pendingAcks.clear();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
