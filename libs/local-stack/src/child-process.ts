import { ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';

export type LogFn = (line: string) => void;

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Whether an executable called `name` is on PATH (no shell, no spawn). */
export function commandOnPath(name: string, path = process.env.PATH ?? ''): boolean {
  return path
    .split(delimiter)
    .filter(Boolean)
    .some((dir) => {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/** Keeps the last `size` lines of a child's output, for error messages. */
export class LineTail {
  private readonly lines: string[] = [];
  constructor(private readonly size = 20) {}
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.size) this.lines.shift();
  }
  toString(): string {
    return this.lines.join('\n');
  }
}

/** Calls `onLine` for each line of `stream`; the stream is always drained so the child never blocks on a full pipe. */
export function forwardLines(stream: Readable | null, onLine: LogFn): void {
  if (!stream) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
}

/** Resolves once the child has exited (immediately if it already has). */
export function exitOf(child: ChildProcess): Promise<ExitStatus> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: child.exitCode, signal: child.signalCode }));
  });
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** SIGTERM, then SIGKILL after `graceMs` if the child is still running. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<ExitStatus> {
  const exited = exitOf(child);
  if (hasExited(child) || child.pid === undefined) return exited;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  const first = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (first !== 'timeout') return first;
  child.kill('SIGKILL');
  return exited;
}

/**
 * Kills the child when this process exits, so a crashed or `process.exit()`ing parent leaves no
 * orphan. Returns the unregister function (call it once the child is stopped).
 */
export function killOnExit(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): () => void {
  const hook = () => {
    if (!hasExited(child)) child.kill(signal);
  };
  process.on('exit', hook);
  return () => process.off('exit', hook);
}

export interface ServiceOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Own process group: a terminal's Ctrl-C reaches only the parent, which then stops children in order. */
  detached?: boolean;
  /** Receives every stdout/stderr line of the child. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  readonly exited: Promise<ExitStatus>;
  /** The last lines it printed, for error messages. */
  tail(): string;
  isRunning(): boolean;
  stop(graceMs?: number): Promise<ExitStatus>;
}

/** Spawns a long-running child with line-wise output, killed if this process exits first. */
export function spawnService(options: ServiceOptions): Promise<ServiceProcess> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: options.detached ?? false,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail = new LineTail();
  const unregister = killOnExit(child, 'SIGKILL');
  const exited = exitOf(child).then((status) => {
    unregister();
    return status;
  });
  for (const stream of ['stdout', 'stderr'] as const) {
    forwardLines(child[stream], (line) => {
      tail.push(line);
      options.onLine?.(line, stream);
    });
  }
  return new Promise((resolve, reject) => {
    child.once('error', (err) => {
      unregister();
      reject(new Error(`${options.name}: cannot start ${options.command}: ${err.message}`));
    });
    child.once('spawn', () =>
      resolve({
        name: options.name,
        pid: child.pid!,
        exited,
        tail: () => tail.toString(),
        isRunning: () => !hasExited(child),
        stop: (graceMs) => stopChild(child, graceMs),
      }),
    );
  });
}

/** Runs a command to completion, with its output line-wise to `onLine`; rejects naming the exit code. */
export async function runToCompletion(options: ServiceOptions): Promise<void> {
  const service = await spawnService(options);
  const { code, signal } = await service.exited;
  if (code !== 0) {
    throw new Error(
      `${options.name} failed (${signal ? `signal ${signal}` : `exit code ${code}`})`,
    );
  }
}

export interface WaitForHttpOptions {
  timeoutMs: number;
  intervalMs?: number;
  status?: number;
  /** Polled between attempts: a reason string aborts the wait at once (e.g. "the process exited"). */
  abortReason?: () => string | undefined;
  init?: RequestInit;
}

/** Polls `url` until it answers with `status` (200 by default); rejects on timeout or abort. */
export async function waitForHttp(url: string, options: WaitForHttpOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const expected = options.status ?? 200;
  let last = 'no answer';
  for (;;) {
    const reason = options.abortReason?.();
    if (reason) throw new Error(reason);
    try {
      const res = await fetch(url, { ...options.init, signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === expected) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `${url} not ready after ${Math.round(options.timeoutMs / 1000)} s (last: ${last})`,
      );
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 200));
  }
}
