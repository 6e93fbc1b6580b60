// The built entry points (dist/apps/*/main.js), started as the image starts them: NODE_ENV=production,
// the image's heap cap, the API on PORT, /metrics on METRICS_PORT only, no /docs, real secrets. Each
// must become ready and answer a request, and stop cleanly on SIGTERM. The apps are built first (a
// clean clone has no dist/; the build takes seconds), so the test always runs what the source says.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { freePort, spawnService, ServiceProcess } from '@app/local-stack';
import { eventually, startSmtpSink, SmtpSink, testStack, tokenFor } from '@app/testing';
import { IMAGE_NODE_OPTIONS } from '../bench/configs';

const ROOT = join(__dirname, '..');
const APPS = ['courses', 'enrollments', 'notifications'] as const;
type App = (typeof APPS)[number];
const COURSE = 'PROD1-2026-FALL';
const STUDENT = {
  sub: 'prod-student',
  role: 'student',
  email: 'prod-student@example.edu',
} as const;

const stack = testStack('prodmode');

describe('production mode: the built apps, configured as the image runs them', () => {
  let sink: SmtpSink;
  const running = new Map<App, { proc: ServiceProcess; port: number; metricsPort: number }>();
  const url = (app: App, path: string) => `http://127.0.0.1:${running.get(app)!.port}${path}`;

  beforeAll(async () => {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    await stack.migrate();
    await stack.putCourse(COURSE);
    await stack.putUser(STUDENT.sub);
    sink = await startSmtpSink({});
    for (const app of APPS) {
      const [port, metricsPort] = [await freePort(), await freePort()];
      const e = stack.env;
      const proc = await spawnService({
        name: app,
        command: process.execPath,
        args: [join(ROOT, 'dist', 'apps', app, 'main.js')],
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'production',
          NODE_OPTIONS: IMAGE_NODE_OPTIONS,
          PORT: String(port),
          METRICS_PORT: String(metricsPort),
          DOCS_ENABLED: 'false',
          LOG_LEVEL: 'warn',
          JWT_SECRET: e.JWT_SECRET,
          CURSOR_SECRET: 'production-mode-cursor-secret-0123',
          DYNAMODB_ENDPOINT: e.DYNAMODB_ENDPOINT,
          AWS_REGION: e.AWS_REGION,
          AWS_ACCESS_KEY_ID: e.AWS_ACCESS_KEY_ID ?? 'test',
          AWS_SECRET_ACCESS_KEY: e.AWS_SECRET_ACCESS_KEY ?? 'test',
          TABLE_PREFIX: e.TABLE_PREFIX,
          REDIS_URL: e.REDIS_URL,
          CACHE_PREFIX: e.CACHE_PREFIX,
          QUEUE_PREFIX: e.QUEUE_PREFIX,
          SMTP_URL: sink.url,
        },
      });
      running.set(app, { proc, port, metricsPort });
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...running.values()].map(({ proc }) => proc.stop(15_000)));
    await sink?.stop();
    await stack.drop();
  });

  it.each(APPS)('%s becomes ready', async (app) => {
    let last = 0;
    await eventually(async () => {
      if (!running.get(app)!.proc.isRunning()) return true;
      last = await fetch(url(app, '/health/ready')).then(
        (r) => r.status,
        () => 0,
      );
      return last === 200;
    }, 45_000);
    const { proc } = running.get(app)!;
    expect({
      ready: last,
      running: proc.isRunning(),
      output: last === 200 ? '' : proc.tail(),
    }).toEqual({ ready: 200, running: true, output: '' });
  });

  it('courses serves a course', async () => {
    const res = await fetch(url('courses', `/api/courses/${COURSE}`));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ course_id: COURSE });
  });

  it("enrollments serves the caller's profile", async () => {
    const res = await fetch(url('enrollments', '/api/auth/me'), {
      headers: { authorization: `Bearer ${await tokenFor(STUDENT)}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user_id: STUDENT.sub });
  });

  it('notifications serves the queue counts to an admin', async () => {
    const admin = await tokenFor({ sub: 'prod-admin', role: 'admin' });
    const res = await fetch(url('notifications', '/api/queues/email/counts'), {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(res.status).toBe(200);
  });

  it.each(APPS)('%s: metrics only on METRICS_PORT, no docs, security headers', async (app) => {
    expect((await fetch(url(app, '/metrics'))).status).toBe(404);
    expect((await fetch(url(app, '/docs'))).status).toBe(404);
    const metrics = await fetch(`http://127.0.0.1:${running.get(app)!.metricsPort}/metrics`);
    expect(metrics.status).toBe(200);
    const live = await fetch(url(app, '/health/live'));
    expect(live.headers.get('x-content-type-options')).toBe('nosniff');
  });

  // Nest's shutdown hook closes the app, then re-raises the signal: the exit is by SIGTERM, not by
  // the SIGKILL that stop() sends once its grace (the pod's terminationGracePeriodSeconds) is over.
  it('each app stops on SIGTERM within its shutdown deadline', async () => {
    for (const app of APPS) {
      const started = Date.now();
      const status = await running.get(app)!.proc.stop(15_000);
      expect({ app, signal: status.signal }).toEqual({ app, signal: 'SIGTERM' });
      expect(Date.now() - started).toBeLessThan(15_000);
    }
  });
});
