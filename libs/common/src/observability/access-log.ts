import type { IncomingMessage, ServerResponse } from 'node:http';
import { startTime } from 'pino-http';

/** What pino-http's standard serializer hands on: the request's id and the raw request. */
interface SerializedRequest {
  id?: unknown;
  raw?: IncomingMessage;
  method?: string;
  url?: string;
}

/**
 * pino-http binds the serialized request to a child logger on EVERY request, logged or not, so the
 * serializer is on the hot path. The standard one hands on all headers, which then need redaction
 * (Authorization, cookies) on every request; in the profile of a cached list that redaction and
 * serialization was ~2% of the request's CPU. An access log needs the id, method and path: headers
 * are never logged, so no secret is either.
 */
export const accessLogSerializers = {
  req: (req: SerializedRequest) => ({ id: req.id, method: req.method, url: req.url }),
  res: (res: ServerResponse | { statusCode?: number }) => ({ statusCode: res.statusCode }),
};

export interface QuietHitsOptions {
  /** The share of fast, successful cache hits still logged (0-1). */
  hitSample: number;
  /** A request slower than this is always logged. */
  slowMs: number;
  random?: () => number;
  now?: () => number;
}

type LogLevel = 'info' | 'error' | 'silent';

/**
 * pino-http's customLogLevel: a fast 2xx served from the cache (X-Cache: HIT) is not logged, but
 * for a sample; every miss, error, 4xx, 5xx and slow request is. A hit is most of the traffic and
 * the log line was ~8 % of its CPU; what an operator looks for in an access log is not there.
 */
export function quietHits(opts: QuietHitsOptions) {
  const ofHit = hitLogLevel(opts);
  return (_req: IncomingMessage, res: ServerResponse, err?: Error): LogLevel => {
    if (err) return 'error';
    if (res.statusCode < 400 && res.getHeader('x-cache') !== 'HIT') return 'info';
    return ofHit(res.statusCode, (res as ServerResponse & { [startTime]?: number })[startTime]);
  };
}

/**
 * quietHits' decision for a response known to be a cache hit, from its status and when it started
 * (the hit path, which sends its headers in one writeHead and so has none to read back).
 */
export function hitLogLevel(opts: QuietHitsOptions) {
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  return (status: number, started: number | undefined): LogLevel => {
    if (status >= 500) return 'error';
    if (status >= 400) return 'info';
    if (started !== undefined && now() - started >= opts.slowMs) return 'info';
    return random() < opts.hitSample ? 'info' : 'silent';
  };
}
