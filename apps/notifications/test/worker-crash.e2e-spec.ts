import { NestExpressApplication } from '@nestjs/platform-express';
import type { Queue } from 'bullmq';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { newOutboxEvent, OutboxEvent, OutboxEventType, OutboxRepository } from '@app/data';
import { SmtpSink, startSmtpSink } from '@app/local-stack';
import { EMAIL_JOB_NAME, toEmailJob } from '@app/messaging';
import { NotificationsModule } from '../src/notifications.module';
import {
  emailTestQueue,
  eventually,
  removeEmailTestQueue,
  startApp,
  testStack,
} from '@app/testing';

// Short locks so that a dead worker's job is taken over in seconds rather than the default 30-60 s.
const stack = testStack('crash', {
  OUTBOX_RELAY_ENABLED: 'false',
  EMAIL_LOCK_DURATION_MS: '2000',
  EMAIL_STALLED_INTERVAL_MS: '1000',
  EMAIL_CLAIM_LEASE_MS: '2000',
  EMAIL_BACKOFF_MS: '500',
  WORKER_SHUTDOWN_TIMEOUT_MS: '1000',
});
const { env, doc, tables } = stack;
jest.setTimeout(90_000);

function startWorkerProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'run-worker.js')], {
    env: process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker process exited early (${code})`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('READY')) resolve(child);
    });
  });
}

/** The sender has claimed the event: it sets `sending_until` just before it talks to SMTP. */
async function isClaimed(eventId: string): Promise<boolean> {
  const { Item } = await doc.send(
    new GetCommand({ TableName: tables.outbox, Key: { event_id: eventId }, ConsistentRead: true }),
  );
  return !!Item?.sending_until;
}

describe('a worker stopped in the middle of sending', () => {
  let sink: SmtpSink;
  let queue: Queue;
  let child: ChildProcess | undefined;
  let app: NestExpressApplication | undefined;
  let outbox: OutboxRepository;

  beforeAll(async () => {
    // The sink takes 3 s to accept each message, which leaves time to kill the worker mid-send.
    sink = await startSmtpSink({ acceptDelayMs: 3000 });
    process.env.SMTP_URL = sink.url;
    await stack.migrate();
    queue = emailTestQueue(env);
  });

  /** An outbox event for `user` (email `<user>@example.edu`) and its email job, as the enrollments app writes them. */
  async function queueEvent(type: OutboxEventType, user: string): Promise<OutboxEvent> {
    const event = newOutboxEvent({
      type,
      user_id: user,
      course_id: 'GONE1-2026-FALL',
      semester_id: '2026-FALL',
      email: `${user}@example.edu`,
    });
    await doc.send(new PutCommand({ TableName: tables.outbox, Item: event }));
    await queue.add(EMAIL_JOB_NAME[event.type], toEmailJob(event), { jobId: event.event_id });
    return event;
  }

  afterAll(async () => {
    child?.kill('SIGKILL');
    await app?.close();
    await removeEmailTestQueue(queue);
    await sink?.stop();
    await stack.drop();
  });

  it('delivers the email exactly once after a new worker takes the stalled job over', async () => {
    const event = await queueEvent('enrollment.created', 'crash-victim');

    child = await startWorkerProcess();
    // The sender claims the event just before it talks to SMTP: from then on it is mid-send.
    await eventually(() => isClaimed(event.event_id), 15_000);
    expect(await isClaimed(event.event_id)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(await queue.getJobState(event.event_id)).toBe('active');
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    child = undefined;
    expect(sink.messages).toHaveLength(0);

    app = await startApp(NotificationsModule);
    outbox = app.get(OutboxRepository);
    await eventually(() => sink.messages.length > 0, 30_000);
    await eventually(async () => (await queue.getJobState(event.event_id)) === 'completed', 10_000);
    await new Promise((r) => setTimeout(r, 1000));

    expect(sink.messages).toHaveLength(1);
    expect(sink.messages[0].to).toContain('crash-victim@example.edu');
    expect(await queue.getJobState(event.event_id)).toBe('completed');
    expect((await outbox.get(event.event_id))?.sent_at).toBeDefined();
  });

  it('a graceful shutdown gives up on a slow send at WORKER_SHUTDOWN_TIMEOUT_MS; the email is delivered once later', async () => {
    await app?.close();
    const event = await queueEvent('enrollment.dropped', 'slow-shutdown');
    app = await startApp(NotificationsModule);
    await eventually(() => isClaimed(event.event_id), 15_000);

    const started = Date.now();
    await app.close();
    app = undefined;
    expect(Date.now() - started).toBeLessThan(2500); // the sink would take 3 s to accept

    app = await startApp(NotificationsModule);
    const mailsTo = () => sink.messages.filter((m) => m.to.includes('slow-shutdown@example.edu'));
    await eventually(() => mailsTo().length > 0, 30_000);
    await eventually(async () => (await queue.getJobState(event.event_id)) === 'completed', 10_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(mailsTo()).toHaveLength(1);
  });
});
