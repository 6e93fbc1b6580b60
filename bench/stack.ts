import { createWriteStream, readFileSync, rmSync, WriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createDynamoDbClients, DynamoDbClients } from '@app/data';
// The config builder alone: the rest of @app/testing (Nest's testing module…) is not for the harness.
import { localDynamoDbConfig } from '@app/testing/dynamodb-config';
import {
  deleteKeysMatching,
  ensureRedis,
  freePort,
  runToCompletion,
  ServiceProcess,
  SmtpSink,
  spawnService,
  startDynamoDbLocal,
  startSmtpSink,
  waitForHttp,
} from '@app/local-stack';
import { Cleanup } from './cleanup';
import { APP_NAMES, AppName, appEnv, RunIds, runKeyPatterns } from './configs';
import type { ConfigName } from './options';

export type Log = (line: string) => void;

export interface Infra {
  dynamoEndpoint: string;
  /** Kills DynamoDB Local (dropping whatever backlog an overloaded run left in it) and starts it again on the same port and data. */
  restartDynamo(): Promise<void>;
  /** The DynamoDB Local (java) and Redis server processes, for CPU accounting; Redis is absent when not local. */
  pids(): { 'DynamoDB Local': number; Redis?: number };
  redisUrl: string;
  smtpUrl: string;
  sink: SmtpSink;
  dynamo: DynamoDbClients;
  /** The harness's own Redis connection (reference body, key cleanup). */
  redis: Redis;
}

export interface Paths {
  root: string;
  dataDir: string;
  logDir: string;
}

/** npm run build, output to a log file; the tail is shown when it fails. */
export async function build(paths: Paths, log: Log): Promise<void> {
  const file = join(paths.logDir, 'build.log');
  const out = createWriteStream(file);
  const tail: string[] = [];
  try {
    await runToCompletion({
      name: 'npm run build',
      command: 'npm',
      args: ['run', 'build'],
      cwd: paths.root,
      onLine: (line) => {
        out.write(line + '\n');
        tail.push(line);
        if (tail.length > 30) tail.shift();
      },
    });
  } catch (err) {
    log(tail.join('\n'));
    throw new Error(`${(err as Error).message} (full output in ${file})`);
  } finally {
    out.end();
  }
}

/** DynamoDB Local on disk (the seeded dataset survives between runs), a Redis, an SMTP sink. */
export async function startInfra(paths: Paths, cleanup: Cleanup, log: Log): Promise<Infra> {
  const dbPath = join(paths.dataDir, 'dynamodb');
  let dynamoLocal = await startDynamoDbLocal({ dbPath });
  cleanup.add('DynamoDB Local', () => dynamoLocal.stop());
  log(`DynamoDB Local at ${dynamoLocal.endpoint} (data in ${dbPath})`);
  const restartDynamo = async () => {
    const port = dynamoLocal.port;
    await dynamoLocal.stop();
    dynamoLocal = await startDynamoDbLocal({ dbPath, port });
  };

  // The machine's Redis when one answers at the default address, otherwise a throwaway redis-server.
  const ensured = await ensureRedis('redis://127.0.0.1:6379', {
    dataDir: join(paths.dataDir, 'redis'),
  });
  if (ensured.started) {
    const started = ensured.started;
    cleanup.add('redis-server', () => started.stop());
    log(`started redis-server at ${ensured.url}`);
  } else {
    log(
      `using the Redis at ${ensured.url} (keys under this run's prefixes are deleted at the end)`,
    );
  }
  const redis = new Redis(ensured.url, { maxRetriesPerRequest: 2, lazyConnect: true });
  redis.on('error', () => undefined);
  await redis.connect();
  cleanup.add('harness Redis connection', () => redis.quit().catch(() => redis.disconnect()));

  // No directory: a benchmark sends thousands of emails; they are counted, not kept.
  const sink = await startSmtpSink({});
  cleanup.add('SMTP sink', () => sink.stop());

  // Region us-east-1, keys `local`, 64 sockets; a long timeout and more attempts for a loaded machine.
  const dynamo = createDynamoDbClients(
    localDynamoDbConfig({
      endpoint: dynamoLocal.endpoint,
      tablePrefix: '',
      timeoutMs: 120_000,
      maxAttempts: 5,
    }),
  );
  cleanup.add('DynamoDB client', () => dynamo.client.destroy());

  const redisPid = await localRedisPid(redis, ensured.url);
  return {
    dynamoEndpoint: dynamoLocal.endpoint,
    restartDynamo,
    pids: () => ({
      'DynamoDB Local': dynamoLocal.pid,
      ...(redisPid !== undefined ? { Redis: redisPid } : {}),
    }),
    redisUrl: ensured.url,
    smtpUrl: sink.url,
    sink,
    dynamo,
    redis,
  };
}

/** The Redis server's pid when it runs on this machine (INFO server's process_id). */
async function localRedisPid(redis: Redis, url: string): Promise<number | undefined> {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) return undefined;
  const pid = /^process_id:(\d+)/m.exec(await redis.info('server'))?.[1];
  return pid ? Number(pid) : undefined;
}

/** Deletes every key of this run (SCAN on its own unique prefixes only). */
export function deleteRunKeys(redis: Redis, runId: string): Promise<number> {
  return deleteKeysMatching(redis, runKeyPatterns(runId));
}

export interface AppsHandle {
  urls: Record<AppName, string>;
  pids: Record<AppName, number>;
  /** SIGTERM, SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** The three apps of one configuration from dist/, each waited on until GET /health/ready answers 200. */
export async function startApps(
  config: ConfigName,
  ids: RunIds,
  infra: Infra,
  paths: Paths,
  cleanup: Cleanup,
  profile = false,
  readyTimeoutMs = 120_000,
): Promise<AppsHandle> {
  const services: ServiceProcess[] = [];
  const logs: WriteStream[] = [];
  const urls = {} as Record<AppName, string>;
  const pids = {} as Record<AppName, number>;
  let grace = 15_000;
  const stopAll = async () => {
    await Promise.all(services.map((s) => s.stop(grace)));
    await Promise.all(logs.map((l) => new Promise((r) => l.end(r))));
  };
  const unregister = cleanup.add(`apps (${config})`, stopAll);
  try {
    for (const app of APP_NAMES) {
      const port = await freePort();
      const logFile = createWriteStream(join(paths.logDir, `${config}-${app}.log`));
      logs.push(logFile);
      const service = await spawnService({
        name: app,
        command: process.execPath,
        args: [
          ...(profile
            ? ['--cpu-prof', `--cpu-prof-dir=${join(paths.logDir, 'profiles', config, app)}`]
            : []),
          join(paths.root, 'dist', 'apps', app, 'main.js'),
        ],
        cwd: paths.root,
        env: appEnv(config, port, ids, infra),
        onLine: (line) => logFile.write(line + '\n'),
      });
      services.push(service);
      urls[app] = `http://127.0.0.1:${port}`;
      pids[app] = service.pid;
    }
    await Promise.all(
      APP_NAMES.map((app, i) =>
        waitForHttp(`${urls[app]}/health/ready`, {
          timeoutMs: readyTimeoutMs,
          abortReason: () =>
            services[i].isRunning() ? undefined : `exited during startup:\n${services[i].tail()}`,
        }).catch((err: Error) => {
          throw new Error(
            `${app} (${config}): ${err.message}\n(log: ${join(paths.logDir, `${config}-${app}.log`)})`,
          );
        }),
      ),
    );
  } catch (err) {
    await unregister();
    throw err;
  }
  return {
    urls,
    pids,
    stop: (graceMs = 15_000) => {
      grace = graceMs;
      return unregister();
    },
  };
}

/**
 * One benchmark at a time per data directory: two DynamoDB Local processes on one -dbPath would
 * corrupt it, and two loads on one machine would measure each other.
 */
export function acquireLock(file: string, cleanup: Cleanup): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      cleanup.add('lock file', () => rmSync(file, { force: true }));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8'));
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new Error(
          `another benchmark (pid ${pid}) is running on ${file}; wait for it or stop it`,
        );
      }
      rmSync(file, { force: true }); // left behind by a run that was killed
    }
  }
  throw new Error(`could not take ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
