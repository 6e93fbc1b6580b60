import { NestExpressApplication } from '@nestjs/platform-express';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import request from 'supertest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DYNAMODB_CLIENT, newOutboxEvent, OutboxEvent, OutboxRepository } from '@app/data';
import { freePort, SmtpSink, startSmtpSink } from '@app/local-stack';
import { EMAIL_JOB_NAME, EMAIL_QUEUE, toEmailJob } from '@app/messaging';
import { NotificationsModule } from '../src/notifications.module';
import {
  eventually,
  injectDynamoDbFaults,
  RedisTopology,
  startApp,
  startTestRedis,
  testStack,
  TestRedis,
  TestStack,
  tokenFor,
} from '@app/testing';

const COURSE = {
  course_id: 'CS101-2026-FALL',
  course_code: 'CS101',
  title: 'Intro <to> Programming',
  semester_id: '2026-FALL',
};

/**
 * The notifications app end to end, on the machine's Redis or on a Redis Cluster of the file's own
 * (BullMQ's scripts then run under the queue prefix's hash tag): called by notifications.e2e-spec.ts
 * and notifications.cluster.e2e-spec.ts.
 */
export const describeNotifications = (topology: RedisTopology) =>
  describe(`notifications: relay, worker, sender (DynamoDB Local, Redis ${topology}, BullMQ, SMTP sink)`, () => {
    jest.setTimeout(90_000);
    let redis: TestRedis;
    let stack: TestStack;
    let smtpPort: number;
    let sink: SmtpSink;
    let app: NestExpressApplication;
    let outbox: OutboxRepository;
    let queue: Queue;
    const mailsTo = (address: string) => sink.messages.filter((m) => m.to.includes(address));

    /** An outbox event as the enrollment transaction writes it, created `ageMs` ago. */
    const putEvent = async (
      user: string,
      opts: { email?: string; ageMs?: number } = {},
    ): Promise<OutboxEvent> => {
      const event = newOutboxEvent(
        {
          type: 'enrollment.created',
          user_id: user,
          course_id: COURSE.course_id,
          semester_id: COURSE.semester_id,
          email: opts.email,
        },
        Date.now() - (opts.ageMs ?? 0),
      );
      await stack.doc.send(new PutCommand({ TableName: stack.tables.outbox, Item: event }));
      return event;
    };
    /** What the enrollments app's fast path does: enqueue, then mark the event enqueued. */
    const enqueue = async (event: OutboxEvent, jobId = event.event_id) => {
      await queue.add(EMAIL_JOB_NAME[event.type], toEmailJob(event), { jobId });
      await outbox.markEnqueued(event.event_id);
    };

    beforeAll(async () => {
      redis = await startTestRedis(topology);
      stack = testStack('notify', {
        OUTBOX_RELAY_INTERVAL_MS: '200',
        OUTBOX_RELAY_GRACE_MS: '1000',
        EMAIL_BACKOFF_MS: '300',
        ...redis.env,
      });
      smtpPort = await freePort();
      sink = await startSmtpSink({ port: smtpPort });
      process.env.SMTP_URL = sink.url;
      await stack.migrate();
      await stack.doc.send(
        new PutCommand({
          TableName: stack.tables.courses,
          Item: { ...COURSE, capacity: 10, enrolled_count: 0 },
        }),
      );
      await stack.putUser('with-row', {
        email: 'row@example.edu',
        name: 'Row User',
        role: 'student',
      });
      app = await startApp(NotificationsModule);
      outbox = app.get(OutboxRepository);
      // The app's own queue: jobs get the same default options (attempts, backoff) as in production.
      queue = app.get<Queue>(getQueueToken(EMAIL_QUEUE));
    });

    afterAll(async () => {
      await queue?.obliterate({ force: true });
      await app?.close();
      await sink?.stop();
      await stack?.drop();
      await redis?.close();
    });

    it('the relay enqueues a pending event; the email arrives with subject, recipient and Message-ID; the event is marked sent', async () => {
      const event = await putEvent('relayed', { email: 'relayed@example.edu', ageMs: 5000 });
      await eventually(() => mailsTo('relayed@example.edu').length > 0, 10_000);
      const [mail] = mailsTo('relayed@example.edu');
      expect(mail).toBeDefined();
      expect(mail.subject).toBe('Enrollment confirmed: CS101 Intro <to> Programming (2026-FALL)');
      expect(mail.messageId).toBe(`<${event.event_id}@course-registration>`);
      await eventually(async () => !!(await outbox.get(event.event_id))?.sent_at, 5000);
      const stored = await outbox.get(event.event_id);
      expect(stored?.sent_at).toBeDefined();
      expect(stored?.pending_shard).toBeUndefined();
      expect(stored?.expires_at).toBeGreaterThan(Date.now() / 1000);
    });

    it('leaves young pending events to the fast path (grace period)', async () => {
      const event = await putEvent('young', { email: 'young@example.edu' });
      await new Promise((r) => setTimeout(r, 500));
      expect(await queue.getJob(event.event_id)).toBeUndefined();
      await eventually(() => mailsTo('young@example.edu').length > 0, 10_000);
      expect(mailsTo('young@example.edu')).toHaveLength(1);
    });

    it('one event delivered as two jobs at once sends exactly one email', async () => {
      const event = await putEvent('twice', { email: 'twice@example.edu' });
      await Promise.all([enqueue(event), enqueue(event, `${event.event_id}-duplicate`)]);
      const bothDone = async () =>
        (
          await Promise.all([
            queue.getJobState(event.event_id),
            queue.getJobState(`${event.event_id}-duplicate`),
          ])
        ).every((state) => state === 'completed');
      await eventually(bothDone, 15_000);
      const results = await Promise.all([
        queue.getJob(event.event_id),
        queue.getJob(`${event.event_id}-duplicate`),
      ]);
      expect(results.map((j) => j?.returnvalue).sort()).toEqual(['already-sent', 'sent']);
      expect(mailsTo('twice@example.edu')).toHaveLength(1);
    });

    // Seen in production: a claim that committed but whose answer timed out was taken for another
    // worker's, and the email waited 45–75 s for the claim and the job lock to expire.
    it.each([
      [1, 'the SDK retries the claim'],
      [3, 'every SDK attempt times out and the job is retried'],
    ])(
      'a send claim that commits although its answer times out does not hold the email back (%i lost answers: %s)',
      async (times) => {
        const address = `claim-timeout-${times}@example.edu`;
        const faults = injectDynamoDbFaults(app.get(DYNAMODB_CLIENT), {
          command: 'UpdateItemCommand',
          fault: 'TimeoutAfterCommit',
          times,
          matches: (input) => String(input.UpdateExpression).includes('sending_by = :owner'),
        });
        try {
          const started = Date.now();
          await enqueue(await putEvent(`claim-timeout-${times}`, { email: address }));
          await eventually(() => mailsTo(address).length > 0, 20_000);
          expect(faults.count).toBe(times);
          expect(mailsTo(address)).toHaveLength(1);
          // Within the claim's lease (EMAIL_CLAIM_LEASE_MS, 10 s): nothing waited for it to lapse.
          expect(Date.now() - started).toBeLessThan(9000);
        } finally {
          faults.remove();
        }
      },
    );

    it('the same job id enqueued twice is one job', async () => {
      const event = await putEvent('same-id', { email: 'same-id@example.edu' });
      await Promise.all([enqueue(event), enqueue(event)]);
      await eventually(() => mailsTo('same-id@example.edu').length > 0, 10_000);
      await new Promise((r) => setTimeout(r, 500));
      expect(mailsTo('same-id@example.edu')).toHaveLength(1);
    });

    it("the Users row's address wins over the token's", async () => {
      await enqueue(await putEvent('with-row', { email: 'token-claim@example.edu' }));
      await eventually(() => mailsTo('row@example.edu').length > 0, 10_000);
      expect(mailsTo('row@example.edu')).toHaveLength(1);
      expect(mailsTo('token-claim@example.edu')).toHaveLength(0);
    });

    it('an SMTP outage is retried with backoff; the email arrives once SMTP is back', async () => {
      await sink.stop();
      const event = await putEvent('smtp-down', { email: 'smtp-down@example.edu' });
      await enqueue(event);
      await eventually(
        async () => ((await queue.getJob(event.event_id))?.attemptsMade ?? 0) >= 2,
        10_000,
      );
      const job = await queue.getJob(event.event_id);
      expect(job?.attemptsMade).toBeGreaterThanOrEqual(2);
      expect(job?.finishedOn).toBeUndefined();
      expect((await outbox.get(event.event_id))?.sent_at).toBeUndefined();

      sink = await startSmtpSink({ port: smtpPort });
      await eventually(() => mailsTo('smtp-down@example.edu').length > 0, 20_000);
      expect(mailsTo('smtp-down@example.edu')).toHaveLength(1);
      await eventually(
        async () => (await queue.getJob(event.event_id))?.returnvalue === 'sent',
        5000,
      );
      expect((await queue.getJob(event.event_id))?.returnvalue).toBe('sent');
    });

    it('an event with no address fails permanently, is kept, and admins can inspect it', async () => {
      const event = await putEvent('no-address');
      await enqueue(event);
      await eventually(async () => (await queue.getJobState(event.event_id)) === 'failed', 10_000);
      const job = await queue.getJob(event.event_id);
      expect(job?.attemptsMade).toBe(1); // UnrecoverableError: no retries

      const http = request(app.getHttpServer());
      const admin = {
        Authorization: `Bearer ${await tokenFor({ sub: 'root', role: 'admin', email: 'root@example.edu' })}`,
      };
      const student = {
        Authorization: `Bearer ${await tokenFor({ sub: 's1', role: 'student', email: 's1@example.edu' })}`,
      };

      const failed = await http.get('/api/queues/email/failed?limit=10').set(admin);
      expect(failed.status).toBe(200);
      expect(failed.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            id: event.event_id,
            name: 'enrollment-confirmation',
            attemptsMade: 1,
            failedReason: expect.stringContaining('no email address'),
            timestamp: expect.any(Number),
          }),
        ]),
      );
      const counts = await http.get('/api/queues/email/counts').set(admin);
      expect(counts.status).toBe(200);
      expect(counts.body.failed).toBeGreaterThanOrEqual(1);
      expect(counts.body.completed).toBeGreaterThanOrEqual(1);

      expect((await http.get('/api/queues/email/failed').set(student)).status).toBe(403);
      expect((await http.get('/api/queues/email/failed')).status).toBe(401);
      expect((await http.get('/api/queues/email/failed?limit=1000').set(admin)).status).toBe(400);

      // Sent with a token: /metrics should be public, but is behind the global guard for now.
      const metrics = await http.get('/metrics').set(admin);
      expect(metrics.text).toMatch(/email_jobs_total\{[^}]*result="failed"[^}]*\} [1-9]/);
      expect(metrics.text).toMatch(/email_jobs_total\{[^}]*result="retried"[^}]*\} [1-9]/);
      expect(metrics.text).toMatch(/email_jobs_total\{[^}]*result="completed"[^}]*\} [1-9]/);
    });

    it("keeps every queue key under the prefix's hash tag: on a cluster, all on one master", async () => {
      const held = (await redis.keysByServer(`${stack.env.QUEUE_PREFIX}*`)).filter((k) => k.length);
      expect(held).toHaveLength(1);
      expect(held[0].some((k) => k.startsWith(`${stack.env.QUEUE_PREFIX}:email:`))).toBe(true);
    });

    it('reports the queue in /health/ready', async () => {
      const admin = { Authorization: `Bearer ${await tokenFor({ sub: 'root', role: 'admin' })}` };
      const res = await request(app.getHttpServer()).get('/health/ready').set(admin);
      expect(res.body.info?.queue?.status ?? res.body.details?.queue?.status).toBe('up');
    });
  });
