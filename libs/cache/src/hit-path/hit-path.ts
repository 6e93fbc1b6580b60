import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { PinoLogger } from 'nestjs-pino';
import {
  hitLogLevel,
  httpConfig,
  httpRequestDuration,
  securityHeaders,
  validateRouteRequest,
} from '@app/common';
import type { HttpConfig } from '@app/common';
import { clientIp, readsKey } from '../rate-limit/caller-throttler.guard';
import { ReadBudget } from '../rate-limit/read-budget';
import type { CacheContext } from '../cacheable.decorator';
import { cacheEarlyHits, cacheRequests } from '../cache.metrics';
import type { CachedResponse } from '../cached-response';
import { etagOf, ResponseMerges } from '../response-merge';
import { LookupRequest, lookupRequestFor, ResponseCache } from '../response-cache';
import { HitMatch, HitRoute, HitRoutes } from './hit-routes';

/** Cache-Control of a public cached route's responses: shared caches may keep it `maxAgeS`. */
export const publicCacheControl = (maxAgeS = 0) => `public, max-age=${maxAgeS}`;

/** A request shape the hit path validated once: its route, validated context and lookup. */
interface KnownShape {
  route: HitRoute;
  ctx: CacheContext;
  lookup: LookupRequest;
  /** The headers of the last entry sent for it (an entry's ETag names its bytes). */
  sent?: SentHeaders;
}

interface SentHeaders {
  etag: string;
  ok: OutgoingHttpHeaders;
  notModified: OutgoingHttpHeaders;
}

/**
 * Request shapes remembered, by URL (path and query): a hot page's hits skip the route match, the
 * validation and the key's hash. Only shapes that passed validation are kept; the oldest goes first.
 */
const KNOWN_SHAPES = 4096;

/**
 * The hit path: a cache hit of a public GET answered with the stored bytes before Express runs at
 * all — its router, the app-wide middleware (metrics, access log, helmet) and Nest's guards,
 * interceptors, pipes and rxjs (ServeHitsFirst puts `handle` ahead of Express on the HTTP server;
 * in a profile of the cached list that pipeline was most of a hit's CPU). What that pipeline does
 * for a hit is done here: the security headers (the same helmet set), the request-duration metric
 * (under the route's template), the access-log decision (quietHits: a sample and slow hits are
 * logged), the read budget (ReadBudget: no round trip), and the request's validation as the
 * global RequestShapeGuard would do it; then the same key as the interceptor, and one writeHead +
 * end. Anything else — a token sent,
 * a miss, Redis away, a bad request, a route not in the table — goes on to Express unchanged,
 * which answers it exactly as before. A miss is looked up again there: under load the request may
 * wait long enough for another instance's entry to appear, and a stale miss would load it twice.
 *
 * A URL seen before whose entry (and merge) this instance's L1 holds is answered synchronously:
 * no validation (it passed once), no promise, no timer. That is the common hit of a hot page.
 */
@Injectable()
export class HitPath {
  private readonly logger = new Logger(HitPath.name);
  private readonly headers = securityHeaders();
  private readonly logLevel: ReturnType<typeof hitLogLevel>;
  private readonly known = new Map<string, KnownShape>();

  constructor(
    private readonly routes: HitRoutes,
    private readonly cache: ResponseCache,
    private readonly budget: ReadBudget,
    private readonly merges: ResponseMerges,
    @Inject(httpConfig.KEY) http: HttpConfig,
  ) {
    this.logLevel = hitLogLevel({
      hitSample: http.accessLogHitSample,
      slowMs: http.accessLogSlowMs,
    });
  }

  /**
   * Answers the request if it is a hit, else calls `next` (Express). `asExpress` gives the request
   * Express's request prototype (for `query` and `ip`, parsed as Express parses them); only a URL
   * not seen before, or a read budget to count, needs it.
   */
  handle(
    req: IncomingMessage,
    res: ServerResponse,
    next: () => void,
    asExpress: (req: IncomingMessage) => Request,
  ): void {
    // Tokens are verified (and may be refused) by the auth guard: only anonymous reads are answered here.
    const { enabled, hitPath } = this.cache.config;
    if (req.method !== 'GET' || req.headers.authorization !== undefined || !enabled || !hitPath)
      return next();
    const url = req.url ?? '';
    const started = Date.now();
    const known = this.known.get(url);
    if (known && this.serveHeld(known, req, res, asExpress))
      return this.observe(known.route, req, res, started);
    const q = url.indexOf('?');
    const match = this.routes.match(q === -1 ? url : url.slice(0, q));
    if (!match) return next();
    this.serve(match, url, asExpress(req), res).then(
      (route) => {
        if (route) this.observe(route, req, res, started);
        else next();
      },
      (err: Error) => {
        this.logger.error(`hit path failed, handing on to Express: ${err.message}`);
        if (!res.headersSent) next();
      },
    );
  }

  /** What Express's app-wide middleware records of a request: its duration, and (quietly) its log line. */
  private observe(route: HitRoute, req: IncomingMessage, res: ServerResponse, started: number) {
    const labels = { method: 'GET', route: route.template, status: String(res.statusCode) };
    const level = this.logLevel(res.statusCode, started);
    httpRequestDuration.observe(labels, (Date.now() - started) / 1000);
    if (level === 'silent') return;
    // The raw objects, as pino-http logs them: its serializers (accessLogSerializers) pick the fields.
    PinoLogger.root[level]({ req, res, responseTime: Date.now() - started }, 'request completed');
  }

  /** The synchronous answer from L1, when it holds all of it. */
  private serveHeld(
    known: KnownShape,
    req: IncomingMessage,
    res: ServerResponse,
    asExpress: (req: IncomingMessage) => Request,
  ): boolean {
    const stored = this.cache.held(known.lookup);
    if (!stored) return false;
    const merge = known.route.options.merge;
    let entry: CachedResponse | undefined = stored;
    if (merge) {
      const body = this.merges.of(merge).mergeHeld?.(stored.body, known.ctx);
      entry = body === undefined ? undefined : merged(stored, body);
    }
    if (!entry || !this.withinBudget(known.route, asExpress(req))) return false;
    this.send(known, req, res, entry);
    return true;
  }

  /** The hit's answer through Redis (and the read budget); the route when it was a hit. */
  private async serve(
    match: HitMatch,
    url: string,
    req: Request,
    res: ServerResponse,
  ): Promise<HitRoute | undefined> {
    const { route } = match;
    let known: KnownShape;
    try {
      const valid = await validateRouteRequest(
        route.controller,
        route.handler,
        match.params,
        req.query as Record<string, unknown>,
      );
      const ctx = { params: valid.params as Record<string, string>, query: valid.query };
      // No user: every hit-path route is public.
      known = { route, ctx, lookup: lookupRequestFor(route.options, ctx) };
    } catch {
      // Nest refuses it with the same 400 (or the interceptor logs a throwing tag or key function).
      return undefined;
    }
    remember(this.known, url, known);
    const found = await this.cache.lookup(known.lookup);
    if (found.kind !== 'hit') return undefined;
    let entry = found.entry;
    const { merge } = route.options;
    if (merge) entry = merged(entry, await this.merges.of(merge).merge(entry.body, known.ctx));
    if (!this.withinBudget(route, req)) return undefined;
    this.send(known, req, res, entry);
    return route;
  }

  /**
   * Counts the read of a hit about to be answered against the client address's budget, as
   * CallerThrottlerGuard would (with no round trip: see ReadBudget); false when over it, and then
   * nothing is counted: Nest's guard counts the request and refuses it with 429 RATE_LIMITED. A
   * request the hit path hands on is always counted there, never here.
   */
  private withinBudget(route: HitRoute, req: Request): boolean {
    if (!route.readLimited || !this.budget.enabled) return true;
    return this.budget.take(readsKey(clientIp(req as unknown as Record<string, unknown>)));
  }

  /**
   * The stored bytes with their validators and the security headers, or 304 when the client already
   * holds them: one writeHead with every header (none set before it, so Node takes them as they
   * are), built once per entry sent for the shape.
   */
  private send(
    known: KnownShape,
    req: IncomingMessage,
    res: ServerResponse,
    entry: CachedResponse,
  ) {
    const { options } = known.route;
    cacheRequests.inc({ name: options.name, result: 'hit' });
    cacheEarlyHits.inc({ name: options.name });
    let sent = known.sent;
    if (sent?.etag !== entry.etag) {
      const notModified = {
        ...this.headers,
        'X-Cache': 'HIT',
        ETag: entry.etag,
        'Cache-Control': publicCacheControl(options.maxAgeS),
      };
      const ok = {
        ...notModified,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(entry.body),
      };
      known.sent = sent = { etag: entry.etag, ok, notModified };
    }
    if (matchesEtag(req.headers['if-none-match'], entry.etag))
      res.writeHead(304, sent.notModified).end();
    else res.writeHead(entry.status, sent.ok).end(entry.body);
  }
}

/** The entry as merged: the stored one when the merge changed nothing, else the text sent and its ETag. */
function merged(entry: CachedResponse, body: string): CachedResponse {
  return body === entry.body ? entry : { status: entry.status, etag: etagOf(body), body };
}

/** Sets `key`, dropping the oldest entry beyond KNOWN_SHAPES (a Map iterates in insertion order). */
function remember(map: Map<string, KnownShape>, key: string, value: KnownShape): void {
  map.set(key, value);
  if (map.size > KNOWN_SHAPES) map.delete(map.keys().next().value!);
}

/** If-None-Match uses weak comparison: `W/"x"` and `"x"` match, as do a list and `*`. */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return header.split(',').some((tag) => opaque(tag) === wanted);
}
