import { Inject, Injectable, Logger, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { rateLimitConfig, validateRouteRequest } from '@app/common';
import type { RateLimitConfig } from '@app/common';
import { clientIp, READ_COUNTED, readsKey } from '../rate-limit/caller-throttler.guard';
import { RedisThrottlerStorage } from '../rate-limit/redis-throttler.storage';
import type { CacheContext } from '../cacheable.decorator';
import { cacheEarlyHits, cacheRequests } from '../cache.metrics';
import type { CachedResponse } from '../cached-response';
import { LookupRequest, lookupRequestFor, ResponseCache } from '../response-cache';
import { HitMatch, HitRoutes } from './hit-routes';

/** Cache-Control of a public cached route's responses: shared caches may keep it `maxAgeS`. */
export const publicCacheControl = (maxAgeS = 0) => `public, max-age=${maxAgeS}`;

/**
 * The hit path: a cache hit of a public GET answered by the cache module's Nest middleware, with
 * the stored bytes, before the route's guards, interceptors, pipes and rxjs ever run (in a profile
 * of the cached list those were a large share of a hit's CPU; the app-wide middleware and Express's
 * router still run). It validates the path params and query as the
 * global RequestShapeGuard would, builds the same key as the interceptor and writes the entry with
 * one writeHead + end. Anything else — a token sent, a miss, Redis away, a bad request, a route not
 * in the table — goes on to Nest unchanged, which answers it exactly as before. A miss is looked
 * up again there: under load the request may wait in Nest long enough for another instance's entry
 * to appear, and a stale miss would load it a second time.
 */
@Injectable()
export class CacheHitMiddleware implements NestMiddleware {
  private readonly logger = new Logger(CacheHitMiddleware.name);

  constructor(
    private readonly routes: HitRoutes,
    private readonly cache: ResponseCache,
    private readonly budget: RedisThrottlerStorage,
    @Inject(rateLimitConfig.KEY) private readonly limits: RateLimitConfig,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    // Tokens are verified (and may be refused) by the auth guard: only anonymous reads are answered here.
    const { enabled, hitPath } = this.cache.config;
    if (req.method !== 'GET' || req.headers.authorization !== undefined || !enabled || !hitPath)
      return next();
    const path = req.originalUrl.split('?')[0];
    const match = this.routes.match(path);
    if (!match) return next();
    this.serve(match, req, res).then(
      (served) => {
        if (!served) next();
      },
      (err: Error) => {
        this.logger.error(`hit path failed, handing on to Nest: ${err.message}`);
        if (!res.headersSent) next();
      },
    );
  }

  private async serve(match: HitMatch, req: Request, res: Response): Promise<boolean> {
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
    cacheRequests.inc({ name: opts.name, result: 'hit' });
    cacheEarlyHits.inc({ name: opts.name });
    writeEntry(req, res, found.entry, publicCacheControl(opts.maxAgeS));
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
 * The stored bytes with their validators, or 304 when the client already holds them. setHeader, not
 * writeHead's header argument: what is set so stays readable (the access log reads X-Cache).
 */
function writeEntry(
  req: Request,
  res: Response,
  entry: CachedResponse,
  cacheControl: string,
): void {
  res.setHeader('ETag', entry.etag);
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('X-Cache', 'HIT');
  if (matchesEtag(req.headers['if-none-match'], entry.etag)) {
    res.writeHead(304).end();
    return;
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(entry.body));
  res.writeHead(entry.status).end(entry.body);
}

/** If-None-Match uses weak comparison: `W/"x"` and `"x"` match, as do a list and `*`. */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return header.split(',').some((tag) => opaque(tag) === wanted);
}
