import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { defer, from, lastValueFrom, Observable, of, switchMap, tap } from 'rxjs';
import { CacheContext, CACHE_EVICT, CACHEABLE, CacheableOptions, CacheEvictOptions } from './cacheable.decorator';
import { cacheLoadDuration, cacheRequests } from './cache.metrics';
import { ResponseCache } from './response-cache';
import { SingleFlight } from './single-flight';

type CachedRequest = Request & { user?: { sub: string } };

/**
 * Applies @Cacheable and @CacheEvict. Keys come from the route's params, its sorted query, its tags'
 * versions and, for per-user routes, the caller's id — never the raw URL (Nest's stock CacheInterceptor
 * keys on the URL alone and would hand one user's data to another). Routes without either decorator
 * pass straight through.
 */
@Injectable()
export class ResponseCacheInterceptor implements NestInterceptor {
  private readonly loads = new SingleFlight<unknown>();

  constructor(
    private readonly reflector: Reflector,
    private readonly cache: ResponseCache,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const cacheable = this.reflector.get<CacheableOptions | undefined>(CACHEABLE, ctx.getHandler());
    const evict = this.reflector.get<CacheEvictOptions | undefined>(CACHE_EVICT, ctx.getHandler());
    if (!cacheable && !evict) return next.handle();

    const http = ctx.switchToHttp();
    const req = http.getRequest<CachedRequest>();
    const res = http.getResponse<Response>();
    const base: CacheContext = { params: (req.params ?? {}) as Record<string, string>, query: (req.query ?? {}) as Record<string, unknown>, user: req.user };

    if (evict) {
      return next.handle().pipe(
        tap((result) => {
          if (res.statusCode >= 200 && res.statusCode < 300) {
            void this.cache.invalidate(evict.tags({ ...base, body: req.body, result }));
          }
        }),
      );
    }
    return this.serve(cacheable!, base, res, next);
  }

  private serve(opts: CacheableOptions, ctx: CacheContext, res: Response, next: CallHandler): Observable<unknown> {
    const bypass = () => {
      cacheRequests.inc({ name: opts.name, result: 'bypass' });
      res.setHeader('X-Cache', 'BYPASS');
      return next.handle();
    };
    if (!this.cache.config.enabled) return bypass();
    if (opts.scope === 'user' && !ctx.user?.sub) return bypass();

    return from(
      this.cache.key(
        { name: opts.name, params: ctx.params, query: ctx.query, userId: opts.scope === 'user' ? ctx.user!.sub : undefined },
        opts.tags?.(ctx) ?? [],
      ),
    ).pipe(
      switchMap((key) => {
        if (key === undefined) return bypass();
        return from(this.cache.get(key)).pipe(
          switchMap((hit) => {
            if (hit === undefined) return bypass();
            if (hit !== null) {
              cacheRequests.inc({ name: opts.name, result: 'hit' });
              res.setHeader('X-Cache', 'HIT');
              // The stored text is sent as is: no parse and re-serialise on the hot path.
              res.setHeader('Content-Type', 'application/json; charset=utf-8');
              return of(hit);
            }
            cacheRequests.inc({ name: opts.name, result: 'miss' });
            res.setHeader('X-Cache', 'MISS');
            return defer(() => this.load(key, opts, next));
          }),
        );
      }),
    );
  }

  /** Concurrent misses on one key run the handler once; the first caller writes the entry. */
  private load(key: string, opts: CacheableOptions, next: CallHandler): Promise<unknown> {
    const { promise, leader } = this.loads.run(key, async () => {
      const stop = cacheLoadDuration.startTimer({ name: opts.name });
      try {
        return await lastValueFrom(next.handle());
      } finally {
        stop();
      }
    });
    if (leader) {
      // Errors (4xx/5xx) reject and are never cached; a success is stored as the JSON Express would send.
      promise.then(
        (result) => result !== undefined && this.cache.set(key, JSON.stringify(result), opts.ttlMs),
        () => undefined,
      );
    }
    return promise;
  }
}
