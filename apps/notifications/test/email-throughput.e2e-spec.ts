import { INestApplication } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { newOutboxEvent } from '@app/data';
import { SmtpSink, startSmtpSink } from '@app/local-stack';
import { EMAIL_JOB_NAME, toEmailJob } from '@app/messaging';
import { NotificationsModule } from '../src/notifications.module';
import { emailTestQueue, removeEmailTestQueue, startApp, testStack } from '@app/testing';

// Measures emails/s through the whole worker path (claim, reads, SMTP, SENT marker) at the default concurrency.
const JOBS = 500;
const stack = testStack('throughput', {
  OUTBOX_RELAY_ENABLED: 'false',
});
const { env, doc, tables } = stack;
jest.setTimeout(90_000);

describe(`email throughput (${JOBS} queued jobs, EMAIL_CONCURRENCY=${env.EMAIL_CONCURRENCY})`, () => {
  let sink: SmtpSink;
  let queue: Queue;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    sink = await startSmtpSink({});
    process.env.SMTP_URL = sink.url;
    await stack.migrate();
    queue = emailTestQueue(env);
  });

  afterAll(async () => {
    await app?.close();
    await removeEmailTestQueue(queue);
    await sink?.stop();
    await stack.drop();
  });

  it('sends every queued email exactly once and reports emails/s', async () => {
    const events = Array.from({ length: JOBS }, (_, i) =>
      newOutboxEvent({
        type: 'enrollment.created',
        user_id: `tp${i}`,
        course_id: 'CS101-2026-FALL',
        semester_id: '2026-FALL',
        email: `tp${i}@example.edu`,
      }),
    );
    for (let i = 0; i < events.length; i += 25) {
      const chunk = events
        .slice(i, i + 25)
        .map(({ pending_shard: _, ...e }) => ({ PutRequest: { Item: e } }));
      await doc.send(new BatchWriteCommand({ RequestItems: { [tables.outbox]: chunk } }));
    }
    await queue.addBulk(
      events.map((e) => ({
        name: EMAIL_JOB_NAME[e.type],
        data: toEmailJob(e),
        opts: { jobId: e.event_id },
      })),
    );

    const started = Date.now();
    app = await startApp(NotificationsModule);
    const mails = await sink.waitFor(JOBS, 120_000);
    const seconds = (Date.now() - started) / 1000;
    const rate = JOBS / seconds;
    process.stdout.write(
      `\nemail throughput: ${JOBS} emails in ${seconds.toFixed(2)} s = ${rate.toFixed(1)} emails/s\n`,
    );

    expect(mails).toHaveLength(JOBS);
    expect(new Set(mails.flatMap((m) => m.to)).size).toBe(JOBS);
  });
});
