import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { concatMap, defer, from, lastValueFrom, map, Observable, of, switchMap } from 'rxjs';
import { validatedRequest } from '@app/common';
import {
  CACHE_EVICT,
  CACHEABLE,
  CacheableOptions,
  CacheContext,
  CacheEvictOptions,
} from './cacheable.decorator';
import { cacheLoadDuration, cacheRequests } from './cache.metrics';
import { toCachedResponse } from './cached-response';
import { Lookup, LookupRequest, lookupRequestFor, ResponseCache } from './response-cache';
import { ResponseMerges } from './response-merge';
import { SingleFlight } from './single-flight';
import { publicCacheControl } from './hit-path/hit-path';

type CacheRequest = Request & { user?: { sub: string } };
type XCache = 'HIT' | 'MISS' | 'BYPASS';

interface Loaded {
  status: number;
  body: unknown;
  /** The body is an entry another instance stored (JSON text), not the handler's result. */
  fromCache?: boolean;
}

/** Covers the gap between a load settling and its fire-and-forget write landing in Redis. */
const LOAD_LINGER_MS = 100;

const is2xx = (status: number) => status >= 200 && status < 300;

/**
 * Applies @Cacheable and @CacheEvict; routes with neither pass straight through. Keys come from the
 * route's validated params and query (only the fields its handler declares; or its `key`), its
 * tags' versions and, for per-user routes, the caller's `sub` — never the raw URL: Nest's stock
 * CacheInterceptor keys on the URL alone and would hand one user's data to another, and an
 * undeclared parameter (`?nc=<random>`) would make every request a miss.
 */
@Injectable()
export class ResponseCacheInterceptor implements NestInterceptor {
  private readonly logger = new Logger(ResponseCacheInterceptor.name);
  private readonly loads = new SingleFlight<Loaded>(LOAD_LINGER_MS);

  constructor(
    private readonly reflector: Reflector,
    private readonly cache: ResponseCache,
    private readonly merges: ResponseMerges,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const cacheable = this.reflector.get<CacheableOptions | undefined>(CACHEABLE, ctx.getHandler());
    const evict = this.reflector.get<CacheEvictOptions | undefined>(CACHE_EVICT, ctx.getHandler());
    if (!cacheable && !evict) return next.handle();

    const req = ctx.switchToHttp().getRequest<CacheRequest>();
    const res = ctx.switchToHttp().getResponse<Response>();
    // Validation runs before any cache work: a rejected request never reads or writes Redis.
    return from(validatedRequest(ctx)).pipe(
      switchMap(({ params, query }) => {
        const cacheCtx: CacheContext = {
          params: params as Record<string, string>,
          query,
          user: req.user?.sub ? { sub: req.user.sub } : undefined,
        };
        return evict
          ? this.evictAfter(evict, cacheCtx, req, res, next)
          : this.serve(cacheable!, cacheCtx, req, res, next);
      }),
    );
  }

  /**
   * Bumps the tags once the handler has succeeded (its status known, 201 and 204 included) and
   * before the response goes out, so the caller's next read already misses. Bounded by a timeout;
   * a failure is logged and never fails the write.
   */
  private evictAfter(
    opts: CacheEvictOptions,
    ctx: CacheContext,
    req: CacheRequest,
    res: Response,
    next: CallHandler,
  ): Observable<unknown> {
    return next.handle().pipe(
      concatMap((result) => {
        if (!is2xx(res.statusCode)) return of(result);
        const tags = this.safely('evict tags', () => opts.tags({ ...ctx, body: req.body, result }));
        if (!tags || tags.length === 0) return of(result);
        return from(this.cache.invalidate(tags)).pipe(map(() => result));
      }),
    );
  }

  private serve(
    opts: CacheableOptions,
    ctx: CacheContext,
    req: CacheRequest,
    res: Response,
    next: CallHandler,
  ): Observable<unknown> {
    // The same Cache-Control as the hit path's, on hits and misses (a token sent keeps it private).
    if (opts.scope === 'public' && req.headers.authorization === undefined)
      res.setHeader('Cache-Control', publicCacheControl(opts.maxAgeS));
    const bypass = () => {
      this.mark(res, opts.name, 'BYPASS');
      return opts.merge
        ? next.handle().pipe(concatMap((body) => this.merged(opts, ctx, res, body)))
        : next.handle();
    };
    // A per-user route without a user is never cached: its entry would be shared by every caller.
    if (!this.cache.config.enabled || (opts.scope === 'user' && !ctx.user)) return bypass();
    const request = this.safely(`tags or key of ${opts.name}`, () => lookupRequestFor(opts, ctx));
    if (!request) return bypass();
    return defer(() => this.cache.lookup(request)).pipe(
      switchMap((found) => {
        if (found.kind === 'unavailable') return bypass();
        if (found.kind === 'hit') {
          this.mark(res, opts.name, 'HIT');
          res.status(found.entry.status);
          // The stored JSON text is sent as is: no parse and re-serialise on the hot path.
          res.setHeader('Content-Type', 'application/json; charset=utf-8');
          return opts.merge
            ? defer(() => this.merged(opts, ctx, res, found.entry.body))
            : of(found.entry.body);
        }
        this.mark(res, opts.name, 'MISS');
        return defer(() => this.load(request, found, opts, res, next)).pipe(
          concatMap((body) => (opts.merge ? this.merged(opts, ctx, res, body) : of(body))),
        );
      }),
    );
  }

  /**
   * Concurrent misses on one key in this process run the handler once (the leader's); the others
   * get its result and status. An error reaches every waiter and is not cached. The leader stores a
   * 2xx JSON result, fire-and-forget.
   */
  private async load(
    request: LookupRequest,
    miss: Extract<Lookup, { kind: 'miss' }>,
    opts: CacheableOptions,
    res: Response,
    next: CallHandler,
  ): Promise<unknown> {
    let release = () => undefined as void;
    const { promise, leader } = this.loads.run(miss.singleFlightKey, async (): Promise<Loaded> => {
      const lease = await this.cache.leaseOrWait(request, miss);
      if (lease.kind === 'hit') return { ...lease.entry, fromCache: true };
      release = lease.release;
      const stop = cacheLoadDuration.startTimer({ name: opts.name });
      try {
        const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
        return { status: res.statusCode, body };
      } catch (err) {
        release();
        throw err;
      } finally {
        stop();
      }
    });
    const loaded = await promise;
    if (leader && !loaded.fromCache) {
      const entry = toCachedResponse(loaded.status, loaded.body, this.cache.config.maxEntryBytes);
      if (typeof entry === 'object') {
        this.cache.store(miss.target, entry, opts.ttlMs, miss.maxTtlMs);
      } else {
        release(); // nothing will appear for the others to wait for
        if (entry === 'too-large')
          this.logger.debug(`${opts.name}: response above CACHE_MAX_ENTRY_BYTES, not cached`);
      }
    }
    res.status(loaded.status);
    // Another instance's entry is JSON text, sent as is, as on a hit.
    if (loaded.fromCache) res.setHeader('Content-Type', 'application/json; charset=utf-8');
    return loaded.body;
  }

  /**
   * The route's merge applied to a 2xx body (the stored JSON text, or the handler's result as
   * Express would serialize it), sent as JSON text: Express then computes the ETag of what is sent
   * and answers a matching If-None-Match with 304, as the hit path does.
   */
  private async merged(
    opts: CacheableOptions,
    ctx: CacheContext,
    res: Response,
    body: unknown,
  ): Promise<unknown> {
    if (!opts.merge || !is2xx(res.statusCode)) return body;
    const text =
      typeof body === 'string'
        ? body
        : body !== null && typeof body === 'object'
          ? JSON.stringify(body)
          : undefined;
    if (text === undefined) return body;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    return this.merges.of(opts.merge).merge(text, ctx);
  }

  private mark(res: Response, name: string, result: XCache): void {
    cacheRequests.inc({ name, result: result.toLowerCase() });
    res.setHeader('X-Cache', result);
  }

  /** A throwing tag or key function is a bug, but must not fail the request: it is logged and skipped. */
  private safely<T>(what: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      this.logger.error(`${what} threw, cache skipped: ${(err as Error).message}`);
      return undefined;
    }
  }
}
