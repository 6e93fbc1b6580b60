// The dev launcher (`npm start`, after the build): DynamoDB Local, Redis and an SMTP sink when none
// is configured, then migrate + demo seed, then the three apps, each waited on until /health/ready.
// Ctrl-C stops everything in reverse order: apps first, so they drain against live dependencies.
import 'reflect-metadata';
import { existsSync, mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { signToken } from '@app/auth';
import { validateEnv, validateLauncherEnv } from '@app/common';
import {
  DynamoDbLocalHandle,
  ensureRedis,
  ExitStatus,
  isPortFree,
  preferredPort,
  ServiceProcess,
  SmtpSink,
  spawnService,
  startDynamoDbLocal,
  startSmtpSink,
  waitForHttp,
  RedisServerHandle,
} from '@app/local-stack';

const APPS = [
  { name: 'courses', port: 3001 },
  { name: 'enrollments', port: 3002 },
  { name: 'notifications', port: 3003 },
] as const;
const DYNAMODB_PORT = 8000;
const SMTP_PORT = 2525;
const APP_STOP_GRACE_MS = 10_000;
const DEMO_USERS = [
  { sub: 'u00001', role: 'student' },
  { sub: 'i0001', role: 'instructor' },
  { sub: 'a0001', role: 'admin' },
] as const;

const root = resolve(__dirname, '..');
const color = process.stdout.hasColors?.() ?? false;
const COLORS: Record<string, number> = {
  dev: 1,
  courses: 36,
  enrollments: 35,
  notifications: 33,
  mail: 32,
  migrate: 34,
  seed: 34,
};
const paint = (code: number, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const out = (source: string, line: string) =>
  process.stdout.write(`${paint(COLORS[source] ?? 37, `[${source}]`.padEnd(16))}${line}\n`);
const say = (line: string) => out('dev', line);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const describeExit = ({ code, signal }: ExitStatus) =>
  signal ? `signal ${signal}` : `exit code ${code}`;

// Everything started so far, stopped in reverse dependency order.
const running: {
  services: Set<ServiceProcess>;
  sink?: SmtpSink;
  redis?: RedisServerHandle;
  dynamo?: DynamoDbLocalHandle;
} = {
  services: new Set(),
};
let stopping: Promise<never> | undefined;

function shutdown(code: number): Promise<never> {
  stopping ??= (async () => {
    const services = [...running.services].filter((s) => s.isRunning());
    const anything = services.length > 0 || running.sink || running.redis || running.dynamo;
    if (services.length > 0) say(`stopping ${services.map((s) => s.name).join(', ')}`);
    await Promise.all(services.map((s) => s.stop(APP_STOP_GRACE_MS)));
    await running.sink?.stop();
    if (running.redis) say('stopping redis-server');
    await running.redis?.stop();
    if (running.dynamo) say('stopping DynamoDB Local');
    await running.dynamo?.stop();
    if (anything) say(code === 0 ? 'stopped' : `stopped (exit ${code})`);
    process.exit(code);
  })();
  return stopping;
}

/** A child the launcher depends on ended by itself: report it and take everything down. */
function fatalOnExit(name: string, exited: Promise<ExitStatus>): void {
  void exited.then((status) => {
    if (stopping) return;
    say(`${name} exited unexpectedly (${describeExit(status)})`);
    void shutdown(1);
  });
}

function onSignal(signal: NodeJS.Signals): void {
  if (!stopping) {
    say(`${signal} received, shutting down (press Ctrl-C again to force)`);
    void shutdown(0);
    return;
  }
  // A second signal: the impatient path. The 'exit' hooks of every child kill them.
  say('forced exit');
  process.exit(130);
}

async function runScript(
  name: 'migrate' | 'seed',
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const script = join(root, 'scripts', `${name}.ts`);
  if (!existsSync(script)) throw new Error(`${relative(root, script)} is missing`);
  // tsx's own CLI, run by this node: what `npx tsx` would do, without npx's extra process.
  const service = await spawnService({
    name: relative(root, script),
    command: process.execPath,
    args: [require.resolve('tsx/cli'), script, ...args],
    cwd: root,
    env,
    detached: true,
    onLine: (line) => out(name, line),
  });
  running.services.add(service);
  const status = await service.exited;
  running.services.delete(service);
  if (status.code !== 0)
    throw new Error(
      `${service.name} ${args.join(' ')} failed (${describeExit(status)})`.replace('  ', ' '),
    );
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const lap = (() => {
    let last = startedAt;
    return () => {
      const now = performance.now();
      const ms = now - last;
      last = now;
      return seconds(ms);
    };
  })();
  const env = validateEnv(process.env);
  const settings = validateLauncherEnv(process.env);
  const dataDir = resolve(root, settings.DEV_DATA_DIR);

  // Cheap checks first, so a missing build or a busy port fails before anything starts.
  for (const app of APPS) {
    const main = join(root, 'dist', 'apps', app.name, 'main.js');
    if (!existsSync(main))
      throw new Error(`${relative(root, main)} is missing: run \`npm run build\` (npm start does)`);
    if (!(await isPortFree(app.port)))
      throw new Error(`port ${app.port} (${app.name}) is in use: stop whatever listens there`);
  }
  mkdirSync(dataDir, { recursive: true });
  const timings: string[] = [];

  let dynamodbEndpoint = env.DYNAMODB_ENDPOINT;
  let dynamodbNote = 'external (DYNAMODB_ENDPOINT)';
  if (!dynamodbEndpoint) {
    const dbPath = settings.DYNAMODB_IN_MEMORY ? undefined : join(dataDir, 'dynamodb');
    running.dynamo = await startDynamoDbLocal({
      port: await preferredPort(DYNAMODB_PORT),
      dbPath,
      detached: true,
    });
    fatalOnExit('DynamoDB Local', running.dynamo.exited);
    dynamodbEndpoint = running.dynamo.endpoint;
    dynamodbNote = dbPath
      ? `DynamoDB Local, data in ${relative(root, dbPath)}`
      : 'DynamoDB Local, in memory';
    timings.push(`DynamoDB ${lap()}`);
  }

  const redis = await ensureRedis(env.REDIS_URL, {
    dataDir: join(dataDir, 'redis'),
    detached: true,
  });
  running.redis = redis.started;
  if (redis.started) {
    fatalOnExit('redis-server', redis.started.exited);
    say(`nothing answered at ${env.REDIS_URL}; started redis-server at ${redis.url}`);
    timings.push(`Redis ${lap()}`);
  }

  let smtpUrl = settings.SMTP_URL;
  if (!smtpUrl) {
    running.sink = await startSmtpSink({
      port: await preferredPort(SMTP_PORT),
      dir: join(dataDir, 'mail'),
      log: (line) => out('mail', line),
    });
    smtpUrl = running.sink.url;
  }

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DYNAMODB_ENDPOINT: dynamodbEndpoint,
    AWS_REGION: env.AWS_REGION,
    // DynamoDB Local ignores credentials (-sharedDb), but the SDK refuses to sign without some.
    AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY ?? 'local',
    REDIS_URL: redis.url,
    SMTP_URL: smtpUrl,
  };

  await runScript('migrate', [], childEnv);
  if (settings.DEMO_SEED) await runScript('seed', ['--demo', '--if-empty'], childEnv);
  timings.push(`migrate${settings.DEMO_SEED ? ' + seed' : ''} ${lap()}`);

  const apps = await Promise.all(
    APPS.map(async (app) => {
      const service = await spawnService({
        name: app.name,
        command: process.execPath,
        args: [join(root, 'dist', 'apps', app.name, 'main.js')],
        cwd: root,
        // Readable single-line logs on a terminal unless the caller chose otherwise.
        env: { LOG_PRETTY: 'true', ...childEnv, PORT: String(app.port) },
        detached: true,
        onLine: (line) => out(app.name, line),
      });
      running.services.add(service);
      return { ...app, service };
    }),
  );
  await Promise.all(
    apps.map(({ name, port, service }) =>
      waitForHttp(`http://127.0.0.1:${port}/health/ready`, {
        timeoutMs: settings.DEV_READY_TIMEOUT_MS,
        abortReason: () =>
          service.isRunning() ? undefined : 'exited during startup (its output is above)',
      }).catch((err: Error) => {
        throw new Error(`${name}: ${err.message}`);
      }),
    ),
  );
  for (const { name, service } of apps) fatalOnExit(name, service.exited);
  timings.push(`apps ${lap()}`);
  const readyIn = performance.now() - startedAt;

  const tokens = await Promise.all(
    DEMO_USERS.map(async (u) => ({
      ...u,
      token: await signToken({ ...u, email: `${u.sub}@example.edu` }, env.JWT_SECRET, '12h'),
    })),
  );
  const rows = [
    '',
    paint(1, `All ready in ${seconds(readyIn)} (${timings.join(', ')})`),
    '',
    ...apps.flatMap(({ name, port }) => {
      const base = `http://localhost:${port}`;
      return [
        `  ${name.padEnd(14)} ${base}/api   docs ${base}/docs   ready ${base}/health/ready   metrics ${base}/metrics`,
      ];
    }),
    '',
    `  DynamoDB       ${dynamodbEndpoint} (${dynamodbNote})`,
    `  Redis          ${redis.url}${redis.started ? ` (started here, files in ${relative(root, join(dataDir, 'redis'))})` : ''}`,
    running.sink
      ? `  Email          SMTP sink ${smtpUrl}, each message saved as ${relative(root, join(dataDir, 'mail'))}/*.eml`
      : `  Email          ${smtpUrl} (SMTP_URL)`,
    '',
    `  Demo tokens (12 h${env.JWKS_URL ? '; JWKS_URL is set, so the apps will reject these' : ''}):`,
    ...tokens.map(
      (t) => `    export ${t.role.toUpperCase()}_TOKEN=${t.token}   # ${t.sub}@example.edu`,
    ),
    '',
    '  Try:',
    `    curl 'localhost:3001/api/courses?semester_id=2026-FALL&department_id=CS'`,
    `    curl -H "Authorization: Bearer $STUDENT_TOKEN" localhost:3002/api/enrollments/me`,
    '',
    '  Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(rows.join('\n') + '\n');
}

process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('SIGHUP', onSignal);
main().catch((err: Error) => {
  if (stopping) return; // a signal arrived mid-startup; the shutdown already runs
  say(`startup failed: ${err.message}`);
  void shutdown(1);
});
