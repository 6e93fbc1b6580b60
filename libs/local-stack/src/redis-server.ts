import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import {
  commandOnPath,
  ExitStatus,
  exitOf,
  forwardLines,
  killOnExit,
  LineTail,
  LogFn,
  stopChild,
} from './child-process';
import { freePort } from './free-port';

export const REDIS_MISSING =
  'Redis 6.2+ is required: apt-get install redis-server, or set REDIS_URL';

export interface RedisServerOptions {
  /** Defaults to a free port. */
  port?: number;
  /** Working directory for its files; nothing is persisted (no RDB, no AOF) either way. */
  dir?: string;
  log?: LogFn;
  /** Own process group (the dev launcher stops it itself, after the apps). */
  detached?: boolean;
  startTimeoutMs?: number;
  /** More redis-server arguments (e.g. cluster mode). */
  extraArgs?: readonly string[];
}

export interface RedisServerHandle {
  url: string;
  port: number;
  pid: number;
  /** Settles when the process ends, for whatever reason. */
  exited: Promise<ExitStatus>;
  stop(): Promise<void>;
}

/** One PING with a short timeout and no retries; the connection is always closed. */
export async function isRedisReachable(url: string, timeoutMs = 500): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    reconnectOnError: () => false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Starts a throwaway redis-server on 127.0.0.1 and waits until it answers PING. */
export async function startRedisServer(
  options: RedisServerOptions = {},
): Promise<RedisServerHandle> {
  if (!commandOnPath('redis-server')) throw new Error(REDIS_MISSING);
  const port = options.port ?? (await freePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  if (options.dir) {
    mkdirSync(options.dir, { recursive: true });
    args.push('--dir', resolve(options.dir));
  }
  args.push(...(options.extraArgs ?? []));
  const child = spawn('redis-server', args, {
    detached: options.detached ?? false,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail = new LineTail();
  for (const stream of [child.stdout, child.stderr]) {
    forwardLines(stream, (line) => {
      tail.push(line);
      options.log?.(line);
    });
  }
  const unregister = killOnExit(child, 'SIGKILL');
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  let exited = false;
  const exitStatus = exitOf(child);
  void exitStatus.then(() => (exited = true));
  const stop = async () => {
    await stopChild(child, 5000);
    unregister();
  };

  const url = `redis://127.0.0.1:${port}`;
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  while (!(await isRedisReachable(url, 300))) {
    const failure = spawnError
      ? `redis-server could not be started: ${spawnError.message}`
      : exited
        ? 'redis-server exited during startup'
        : Date.now() > deadline
          ? `redis-server did not answer on ${url} within ${timeoutMs / 1000} s`
          : undefined;
    if (failure) {
      await stop();
      const output = tail.toString();
      throw new Error(output ? `${failure}; output:\n${output}` : failure);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, port, pid: child.pid!, exited: exitStatus, stop };
}

export interface EnsuredRedis {
  url: string;
  /** Set when nothing answered at the requested URL and a redis-server was started instead. */
  started?: RedisServerHandle;
}

/** Uses the Redis at `url` when it answers; otherwise starts a local redis-server, or throws REDIS_MISSING. */
export async function ensureRedis(
  url: string,
  options: { dataDir: string; log?: LogFn; detached?: boolean },
): Promise<EnsuredRedis> {
  if (await isRedisReachable(url)) return { url };
  if (!commandOnPath('redis-server')) throw new Error(REDIS_MISSING);
  const started = await startRedisServer({
    dir: options.dataDir,
    log: options.log,
    detached: options.detached,
  });
  return { url: started.url, started };
}
