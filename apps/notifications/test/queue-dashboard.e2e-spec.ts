// The queue dashboard (bull-board at /admin/queues) through the real notifications app, BullMQ and
// Redis: who may open it, and an operator's task in a real browser — find a failed email and retry
// it — in headless Chromium (Debian's package, driven by playwright-core; `npm test` installs it
// when missing, and the browser test is skipped with a message where it cannot be).
import { existsSync } from 'node:fs';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { Queue } from 'bullmq';
import { chromium } from 'playwright-core';
import { newOutboxEvent } from '@app/data';
import { EMAIL_JOB_NAME, EMAIL_QUEUE, toEmailJob, WAITLIST_QUEUE } from '@app/messaging';
import { eventually, SmtpSink, startApp, startSmtpSink, testStack, tokenFor } from '@app/testing';
import { NotificationsModule } from '../src/notifications.module';

const CHROMIUM = '/usr/bin/chromium';
const BASIC = { username: 'ops', password: 'dashboard-password-0123' };
const stack = testStack('dashboard', {
  ADMIN_BASIC_AUTH_USER: BASIC.username,
  ADMIN_BASIC_AUTH_PASSWORD: BASIC.password,
  // The job below must fail for the reason the test gives it, and be sent only when retried.
  OUTBOX_RELAY_ENABLED: 'false',
});
const COURSE = 'DASH1-2026-FALL';

describe('queue dashboard (/admin/queues)', () => {
  let sink: SmtpSink;
  let app: NestExpressApplication;
  let queue: Queue;
  let base: string;
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { headers });
  const basic = (user: string, password: string) => ({
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
  });

  beforeAll(async () => {
    sink = await startSmtpSink({});
    process.env.SMTP_URL = sink.url;
    await stack.migrate();
    await stack.putCourse(COURSE);
    await stack.putUser('dash-student', { email: 'dash-student@example.edu' });
    app = await startApp(NotificationsModule);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    queue = app.get<Queue>(getQueueToken(EMAIL_QUEUE));
  });

  afterAll(async () => {
    await queue?.obliterate({ force: true });
    await app?.close();
    await sink?.stop();
    await stack.drop();
  });

  it('refuses anonymous callers with 401 and a basic-auth challenge, and wrong passwords', async () => {
    for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
      const res = await get(path);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      expect(await res.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    expect((await get('/admin/queues', basic(BASIC.username, 'wrong-password-0'))).status).toBe(
      401,
    );
    expect((await get('/admin/queues', basic('', ''))).status).toBe(401);
  });

  it('refuses a student or instructor token with 403, a bad token with 401', async () => {
    for (const role of ['student', 'instructor'] as const) {
      const token = await tokenFor({ sub: `dash-${role}`, role });
      const res = await get('/admin/queues', { authorization: `Bearer ${token}` });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    }
    expect((await get('/admin/queues', { authorization: 'Bearer x.y.z' })).status).toBe(401);
  });

  it('shows every queue to an admin token and to basic auth', async () => {
    const admin = await tokenFor({ sub: 'dash-admin', role: 'admin' });
    const page = await get('/admin/queues', { authorization: `Bearer ${admin}` });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const api = await get('/admin/queues/api/queues', basic(BASIC.username, BASIC.password));
    expect(api.status).toBe(200);
    const { queues } = (await api.json()) as { queues: { name: string }[] };
    expect(queues.map((q) => q.name).sort()).toEqual([EMAIL_QUEUE, WAITLIST_QUEUE].sort());
  });

  const browserTest = existsSync(CHROMIUM) ? it : it.skip;
  if (!existsSync(CHROMIUM)) {
    console.warn(
      `${CHROMIUM} is missing: the dashboard's browser test is skipped (apt-get install -y chromium)`,
    );
  }

  browserTest('an operator finds a failed email in the browser and retries it', async () => {
    // The worker fails the job for good: its outbox event does not exist yet (as when the event's
    // write was lost or the job was enqueued by hand).
    const event = newOutboxEvent({
      type: 'enrollment.created',
      user_id: 'dash-student',
      course_id: COURSE,
      semester_id: '2026-FALL',
    });
    await queue.add(EMAIL_JOB_NAME[event.type], toEmailJob(event), { jobId: event.event_id });
    await eventually(async () => (await queue.getFailedCount()) === 1, 20_000);
    expect(await queue.getFailedCount()).toBe(1);
    // Repaired: the event is there now, so a retry can send it.
    await stack.doc.send(new PutCommand({ TableName: stack.tables.outbox, Item: event }));

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const context = await browser.newContext({ httpCredentials: BASIC });
      const page = await context.newPage();
      await page.goto(`${base}/admin/queues/queue/${EMAIL_QUEUE}?status=failed`);
      await page.getByText(`outbox event ${event.event_id} does not exist`).first().waitFor();
      // The failed tab's "Retry all" (the per-job buttons are unlabelled icons), then its dialog.
      await page.getByRole('button', { name: 'Retry all' }).click();
      await page.getByRole('button', { name: 'Confirm' }).click();
      await sink.waitFor(1, 20_000);
    } finally {
      await browser.close();
    }
    expect(sink.messages.map((m) => m.to)).toEqual([['dash-student@example.edu']]);
    await eventually(async () => (await queue.getJobState(event.event_id)) === 'completed');
    expect(await queue.getJobState(event.event_id)).toBe('completed');
  });
});
