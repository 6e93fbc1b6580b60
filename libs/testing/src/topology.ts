import { Agent, request as httpRequest } from 'node:http';
import { freePort, ServiceProcess, spawnService, waitForHttp } from '@app/local-stack';
import { APP_NAMES, AppName, entryPointOf, repoRoot } from './built-entry-points';

export type TopologyShape = Readonly<Partial<Record<AppName, number>>>;

/** One OS process running an app's built entry point. */
export interface AppInstance {
  readonly app: AppName;
  /** 0-based, per app: `courses#1` is the second courses process. */
  readonly index: number;
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly process: ServiceProcess;
}

export interface TopologyResponse {
  status: number;
  headers: Headers;
  /** The body parsed as JSON (undefined when empty or not JSON). */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- the shape is what the test asserts
  /** Which instance answered. */
  served: AppInstance;
}

export interface TopologyRequest {
  method?: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send to this instance instead of the next one in round-robin order. */
  to?: AppInstance;
}

/** A counter's (or histogram count's) value in one /metrics text, summed over the label sets that match. */
export function metricValue(text: string, name: string, labels = ''): number {
  return text
    .split('\n')
    .filter((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && l.includes(labels))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

/** Whether the README tells a client to send this request again after `Retry-After`. */
export function isRetryable(res: Pick<TopologyResponse, 'status' | 'headers' | 'body'>): boolean {
  if (!res.headers.has('retry-after')) return false;
  return (
    res.status === 429 ||
    res.status === 503 ||
    (res.status === 409 && res.body?.code === 'IDEMPOTENCY_IN_PROGRESS')
  );
}

/** What a client cannot act on: a 5xx without `Retry-After`, or no answer at all (status 0). */
export const isUnactionable = (res: Pick<TopologyResponse, 'status' | 'headers'>): boolean =>
  res.status === 0 || (res.status >= 500 && !res.headers.has('retry-after'));

/**
 * A client as the README tells it to behave: a 429 or 503 (or 409 IDEMPOTENCY_IN_PROGRESS) is sent
 * again (the same request, so the same Idempotency-Key) after its Retry-After. Returns every answer,
 * the final one last.
 */
export async function sendAsDocumented<
  R extends Pick<TopologyResponse, 'status' | 'headers' | 'body'> = TopologyResponse,
>(send: () => Promise<R>, maxAttempts = 50): Promise<R[]> {
  const answers: R[] = [];
  for (let attempt = 1; ; attempt++) {
    const res = await send();
    answers.push(res);
    if (!isRetryable(res) || attempt >= maxAttempts) return answers;
    const seconds = Number(res.headers.get('retry-after'));
    await new Promise((r) => setTimeout(r, (Number.isFinite(seconds) ? seconds : 1) * 1000));
  }
}

/** A metric of one instance (see metricValue). */
export async function instanceMetric(
  instance: AppInstance,
  name: string,
  labels = '',
): Promise<number> {
  return metricValue(await (await fetch(`${instance.url}/metrics`)).text(), name, labels);
}

const READY_TIMEOUT_MS = 60_000;

/**
 * Several OS processes per app, started from the built entry points (`dist/apps/<app>/main.js`, as
 * their containers run them) on free ports, all sharing one DynamoDB, one Redis and the environment
 * of the test stack (`testStack(...)` first: its prefixes are in process.env), and a client that
 * spreads requests round-robin over the instances of an app. `stop()` stops every process; the
 * stack's `drop()` then removes the tables and Redis keys they used.
 */
export class Topology {
  private readonly turn = new Map<AppName, number>();

  private constructor(readonly instances: readonly AppInstance[]) {}

  static async start(shape: TopologyShape, env: NodeJS.ProcessEnv = {}): Promise<Topology> {
    const started: AppInstance[] = [];
    const topology = new Topology(started);
    try {
      for (const app of APP_NAMES) {
        for (let index = 0; index < (shape[app] ?? 0); index++) {
          started.push(await startInstance(app, index, env));
        }
      }
      await Promise.all(
        started.map((i) =>
          waitForHttp(`${i.url}/health/ready`, {
            timeoutMs: READY_TIMEOUT_MS,
            abortReason: () =>
              i.process.isRunning() ? undefined : `${i.name} exited during startup`,
          }).catch((err: Error) => {
            throw new Error(`${i.name}: ${err.message}\n${i.process.tail()}`);
          }),
        ),
      );
    } catch (err) {
      await topology.stop();
      throw err;
    }
    return topology;
  }

  /** Every instance of `app`, running or not. */
  of(app: AppName): AppInstance[] {
    return this.instances.filter((i) => i.app === app);
  }

  /** The next running instance of `app`, round-robin. */
  next(app: AppName): AppInstance {
    const running = this.of(app).filter((i) => i.process.isRunning());
    if (running.length === 0) throw new Error(`no ${app} instance is running`);
    const turn = this.turn.get(app) ?? 0;
    this.turn.set(app, turn + 1);
    return running[turn % running.length];
  }

  /**
   * One request to `to`, or to the next instance of `app`, on a connection of its own (a reused
   * keep-alive connection can be closed by the server as the request leaves: a client-side race, not
   * an answer). A request that gets no answer at all resolves with status 0 and code `NO_ANSWER`.
   */
  async request(app: AppName, path: string, req: TopologyRequest = {}): Promise<TopologyResponse> {
    const served = req.to ?? this.next(app);
    const headers: Record<string, string> = { ...req.headers };
    if (req.token) headers.authorization = `Bearer ${req.token}`;
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    try {
      const {
        status,
        headers: received,
        text,
      } = await httpSend(served.port, {
        method: req.method ?? 'GET',
        path,
        headers,
        payload,
      });
      return { status, headers: received, body: parseJson(text), served };
    } catch (err) {
      const body = { code: 'NO_ANSWER', message: (err as Error).message };
      return { status: 0, headers: new Headers(), body, served };
    }
  }

  /** A metric summed over the running instances of `app` (a killed one's counts are gone with it). */
  async metric(app: AppName, name: string, labels = ''): Promise<number> {
    const running = this.of(app).filter((i) => i.process.isRunning());
    const values = await Promise.all(running.map((i) => instanceMetric(i, name, labels)));
    return values.reduce((a, b) => a + b, 0);
  }

  /** Sends `signal` to one instance (SIGKILL: no shutdown hook runs) and waits until it has exited. */
  async kill(instance: AppInstance, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    process.kill(instance.process.pid, signal);
    await instance.process.exited;
  }

  /** Stops every instance (SIGTERM, SIGKILL after a grace period), all at once. */
  async stop(): Promise<void> {
    await Promise.all(this.instances.map((i) => i.process.stop(15_000)));
  }
}

async function startInstance(
  app: AppName,
  index: number,
  env: NodeJS.ProcessEnv,
): Promise<AppInstance> {
  const port = await freePort();
  const name = `${app}#${index}`;
  const child = await spawnService({
    name,
    command: process.execPath,
    args: [entryPointOf(app)],
    cwd: repoRoot,
    env: { ...process.env, ...env, PORT: String(port) },
  });
  return { app, index, name, port, url: `http://127.0.0.1:${port}`, process: child };
}

const parseJson = (text: string): unknown => {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
};

/** A new connection per request: nothing is pooled, so no request meets a connection closing under it. */
const noKeepAlive = new Agent({ keepAlive: false });

function httpSend(
  port: number,
  req: { method: string; path: string; headers: Record<string, string>; payload?: string },
): Promise<{ status: number; headers: Headers; text: string }> {
  const { payload, ...options } = req;
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: '127.0.0.1', port, agent: noKeepAlive, ...options },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers))
            if (typeof value === 'string') headers.set(name, value);
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers, text });
        });
      },
    );
    outgoing.setTimeout(30_000, () => outgoing.destroy(new Error('no answer within 30 s')));
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}
