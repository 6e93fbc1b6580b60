import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { startTime } from 'pino-http';
import {
  httpConfig,
  httpRequestDuration,
  quietHits,
  rateLimitConfig,
  securityHeaders,
  validateRouteRequest,
} from '@app/common';
import type { HttpConfig, RateLimitConfig } from '@app/common';
import { clientIp, READ_COUNTED, readsKey } from '../rate-limit/caller-throttler.guard';
import { RedisThrottlerStorage } from '../rate-limit/redis-throttler.storage';
import type { CacheContext } from '../cacheable.decorator';
import { cacheEarlyHits, cacheRequests } from '../cache.metrics';
import type { CachedResponse } from '../cached-response';
import { etagOf, ResponseMerges } from '../response-merge';
import { LookupRequest, lookupRequestFor, ResponseCache } from '../response-cache';
import { HitMatch, HitRoutes } from './hit-routes';

/** Cache-Control of a public cached route's responses: shared caches may keep it `maxAgeS`. */
export const publicCacheControl = (maxAgeS = 0) => `public, max-age=${maxAgeS}`;

/**
 * The hit path: a cache hit of a public GET answered with the stored bytes before Express runs at
 * all — its router, the app-wide middleware (metrics, access log, helmet) and Nest's guards,
 * interceptors, pipes and rxjs (ServeHitsFirst puts `handle` ahead of Express on the HTTP server;
 * in a profile of the cached list that pipeline was most of a hit's CPU). What that pipeline does
 * for a hit is done here: the security headers (the same helmet set), the request-duration metric
 * (under the route's template), the access-log decision (quietHits: a sample and slow hits are
 * logged), the read budget, and the request's validation as the global RequestShapeGuard would do
 * it; then the same key as the interceptor, and one writeHead + end. Anything else — a token sent,
 * a miss, Redis away, a bad request, a route not in the table — goes on to Express unchanged,
 * which answers it exactly as before. A miss is looked up again there: under load the request may
 * wait long enough for another instance's entry to appear, and a stale miss would load it twice.
 */
@Injectable()
export class HitPath {
  private readonly logger = new Logger(HitPath.name);
  private readonly headers = securityHeaders();
  private readonly logLevel: ReturnType<typeof quietHits>;

  constructor(
    private readonly routes: HitRoutes,
    private readonly cache: ResponseCache,
    private readonly budget: RedisThrottlerStorage,
    private readonly merges: ResponseMerges,
    @Inject(rateLimitConfig.KEY) private readonly limits: RateLimitConfig,
    @Inject(httpConfig.KEY) http: HttpConfig,
  ) {
    this.logLevel = quietHits({ hitSample: http.accessLogHitSample, slowMs: http.accessLogSlowMs });
  }

  /**
   * Answers the request if it is a hit, else calls `next` (Express). `req` has Express's request
   * prototype already (for `query` and `ip`, parsed as Express parses them).
   */
  handle(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    // Tokens are verified (and may be refused) by the auth guard: only anonymous reads are answered here.
    const { enabled, hitPath } = this.cache.config;
    if (req.method !== 'GET' || req.headers.authorization !== undefined || !enabled || !hitPath)
      return next();
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const match = this.routes.match(q === -1 ? url : url.slice(0, q));
    if (!match) return next();
    const started = Date.now();
    this.serve(match, req as Request, res).then(
      (served) => {
        if (served) this.observe(match, req, res, started);
        else next();
      },
      (err: Error) => {
        this.logger.error(`hit path failed, handing on to Express: ${err.message}`);
        if (!res.headersSent) next();
      },
    );
  }

  /** What Express's app-wide middleware records of a request: its duration, and (quietly) its log line. */
  private observe(match: HitMatch, req: IncomingMessage, res: ServerResponse, started: number) {
    const labels = { method: 'GET', route: match.route.template, status: String(res.statusCode) };
    (res as unknown as Record<symbol, number>)[startTime] = started;
    const level = this.logLevel(req, res);
    httpRequestDuration.observe(labels, (Date.now() - started) / 1000);
    if (level === 'silent') return;
    // The raw objects, as pino-http logs them: its serializers (accessLogSerializers) pick the fields.
    PinoLogger.root[level]({ req, res, responseTime: Date.now() - started }, 'request completed');
  }

  private async serve(match: HitMatch, req: Request, res: ServerResponse): Promise<boolean> {
    const { route } = match;
    let ctx: CacheContext;
    try {
      const valid = await validateRouteRequest(
        route.controller,
        route.handler,
        match.params,
        req.query as Record<string, unknown>,
      );
      ctx = { params: valid.params as Record<string, string>, query: valid.query };
    } catch {
      return false; // Nest refuses it with the same 400
    }
    const opts = route.options;
    let request: LookupRequest;
    try {
      request = lookupRequestFor(opts, ctx); // no user: every hit-path route is public
    } catch {
      return false; // the interceptor logs a throwing tag or key function
    }
    // The read budget and the lookup in one round trip (both auto-pipelined).
    const [withinBudget, found] = await Promise.all([
      this.countRead(route.readLimited, req),
      this.cache.lookup(request),
    ]);
    // Over budget: Nest's guard counts it once more and refuses it with 429 RATE_LIMITED.
    if (!withinBudget) return false;
    (req as unknown as Record<symbol, unknown>)[READ_COUNTED] = route.readLimited;
    if (found.kind !== 'hit') return false;
    let entry = found.entry;
    if (opts.merge) {
      // Merged into the stored text (no parse); the validator is that of the bytes sent.
      const body = await this.merges.of(opts.merge).merge(entry.body, ctx);
      if (body !== entry.body) entry = { status: entry.status, etag: etagOf(body), body };
    }
    cacheRequests.inc({ name: opts.name, result: 'hit' });
    cacheEarlyHits.inc({ name: opts.name });
    writeEntry(req, res, entry, publicCacheControl(opts.maxAgeS), this.headers);
    return true;
  }

  /** Counts the read against the client address's budget, as CallerThrottlerGuard would; false when over it. */
  private async countRead(readLimited: boolean, req: Request): Promise<boolean> {
    if (!readLimited || this.limits.reads === 0) return true;
    const key = readsKey(clientIp(req as unknown as Record<string, unknown>));
    const record = await this.budget.increment(
      key,
      this.limits.windowMs,
      this.limits.reads,
      this.limits.windowMs,
    );
    return !record.isBlocked;
  }
}

/**
 * The stored bytes with their validators and the security headers, or 304 when the client already
 * holds them. X-Cache with setHeader, so it stays readable (the access-log decision reads it).
 */
function writeEntry(
  req: Request,
  res: ServerResponse,
  entry: CachedResponse,
  cacheControl: string,
  security: Readonly<Record<string, string>>,
): void {
  res.setHeader('X-Cache', 'HIT');
  const validators = { ...security, ETag: entry.etag, 'Cache-Control': cacheControl };
  if (matchesEtag(req.headers['if-none-match'], entry.etag)) {
    res.writeHead(304, validators).end();
    return;
  }
  res
    .writeHead(entry.status, {
      ...validators,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(entry.body),
    })
    .end(entry.body);
}

/** If-None-Match uses weak comparison: `W/"x"` and `"x"` match, as do a list and `*`. */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return header.split(',').some((tag) => opaque(tag) === wanted);
}
