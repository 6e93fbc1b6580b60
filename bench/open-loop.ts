import { Agent, request } from 'node:http';
import { assertLoopback } from './workload';
import { LatencyRecorder, round } from './stats';

/** One open-loop step: requests sent at a fixed arrival rate whatever the answers do. */
export interface OpenLoopOptions {
  baseUrl: string;
  ratePerS: number;
  durationS: number;
  timeoutS: number;
  /** The i-th request's path and headers. */
  requestAt: (i: number) => { path: string; headers?: Record<string, string> };
}

export interface OpenLoopResult {
  rate_rps: number;
  sent: number;
  /** Answers that arrived (any status). */
  responses: number;
  /** Timeouts, connection errors and 5xx. */
  errors: number;
  p50_ms: number;
  p99_ms: number;
}

/**
 * An arrival-rate generator: request i is due at start + i / rate and is sent then, on a keep-alive
 * pool of up to 256 sockets (about the closed-loop run's 200 connections; beyond them requests wait
 * in the pool); its latency runs from when it was due, not from when a socket was free, so a server that falls behind shows the wait of every request it delayed
 * (no coordinated omission). A request that does not finish in `timeoutS` counts as an error at the
 * timeout.
 */
export async function openLoop(opts: OpenLoopOptions): Promise<OpenLoopResult> {
  assertLoopback(opts.baseUrl);
  const url = new URL(opts.baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const latencies = new LatencyRecorder();
  const total = Math.max(1, Math.round(opts.ratePerS * opts.durationS));
  const timeoutMs = opts.timeoutS * 1000;
  let errors = 0;
  let responses = 0;
  let sent = 0;
  const inFlight: Promise<void>[] = [];
  const start = performance.now();

  const send = (i: number, dueAt: number) =>
    new Promise<void>((resolve) => {
      const { path, headers } = opts.requestAt(i);
      let done = false;
      const finish = (ok: boolean) => {
        if (done) return;
        done = true;
        latencies.record(performance.now() - dueAt);
        if (!ok) errors++;
        resolve();
      };
      const req = request(
        { host: url.hostname, port: url.port, path, headers, agent, timeout: timeoutMs },
        (res) => {
          res.resume();
          res.on('end', () => {
            responses++;
            finish((res.statusCode ?? 500) < 500);
          });
          res.on('error', () => finish(false));
        },
      );
      req.on('timeout', () => {
        req.destroy();
        finish(false);
      });
      req.on('error', () => finish(false));
      req.end();
    });

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + (sent * 1000) / opts.ratePerS <= now) {
        inFlight.push(send(sent, start + (sent * 1000) / opts.ratePerS));
        sent++;
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await Promise.all(inFlight);
  agent.destroy();
  const s = latencies.summary();
  return {
    rate_rps: opts.ratePerS,
    sent,
    responses,
    errors,
    p50_ms: round(s.p50),
    p99_ms: round(s.p99),
  };
}
