import { Injectable, OnApplicationBootstrap, RequestMethod, Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { API_PREFIX, IS_PUBLIC } from '@app/common';
import { CACHEABLE, CacheableOptions } from '../cacheable.decorator';
import { CallerThrottlerGuard } from '../rate-limit/caller-throttler.guard';

type Handler = (...args: unknown[]) => unknown;

/** A wildcard, optional or regex path segment: the hit path never matches such a route itself. */
const SPECIAL_SEGMENT = /[*?(){}]/;

/** A route the hit path may answer: public, cached per request shape, with no guard of its own. */
export interface HitRoute {
  options: CacheableOptions;
  controller: Type<unknown>;
  handler: Handler;
  /** Path segments after the prefix: a literal, or `:name` for a path parameter. */
  segments: readonly string[];
  /** The path as Express's route template names it (`/api/courses/:course_id`): the metric label. */
  template: string;
  /** The route counts against the per-address read budget (@RateLimitedRead): so does its hit. */
  readLimited: boolean;
}

/** Any GET route of the app: a path the hit path must not mistake for one of its own. */
interface GetRoute {
  segments: readonly string[];
  /** Has a wildcard, optional or regex segment: taken to match any path its literal start matches. */
  wild: boolean;
  hit?: HitRoute;
}

export interface HitMatch {
  route: HitRoute;
  params: Record<string, string>;
}

/**
 * The routes the cache's hit path can serve, found at startup from the @Cacheable metadata
 * (DiscoveryService), and the matching of a request path against them. Only routes that are
 * `@Public()`, scope 'public', GET, and carry no guard of their own (ownership, rate limits) are
 * listed: for those the global guards decide nothing the hit path does not redo (the request's
 * shape) or skip (no token is sent), so answering them before Nest changes no outcome. A path that
 * another GET route could also match (`/api/courses/stats` beside `/api/courses/:course_id`) is left
 * to Nest's router, whose order decides.
 */
@Injectable()
export class HitRoutes implements OnApplicationBootstrap {
  private routes: GetRoute[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    this.routes = this.discovery.getControllers().flatMap((wrapper) => {
      const controller = wrapper.metatype as Type<unknown> | null;
      if (!controller || !wrapper.instance) return [];
      const prototype = Object.getPrototypeOf(wrapper.instance) as Record<string, Handler>;
      return this.scanner
        .getAllMethodNames(prototype)
        .flatMap((name) => this.route(controller, prototype[name]));
    });
  }

  /** The routes the hit path serves, for logs and tests. */
  list(): readonly HitRoute[] {
    return this.routes.flatMap((r) => r.hit ?? []);
  }

  /** The route and its decoded path params, or undefined (then Nest routes the request). */
  match(path: string): HitMatch | undefined {
    const parts = path.split('/');
    // '/api/courses/x' → ['', 'api', 'courses', 'x']; anything else (a trailing or double slash) is Nest's.
    if (parts[0] !== '' || parts[1] !== API_PREFIX || parts.some((p, i) => i > 0 && p === '')) {
      return undefined;
    }
    const rest = parts.slice(2);
    let found: HitMatch | undefined;
    for (const route of this.routes) {
      const params = route.wild
        ? matchStart(route.segments, rest)
        : matchSegments(route.segments, rest);
      if (!params) continue;
      if (found || !route.hit) return undefined; // ambiguous, or another route's path
      found = { route: route.hit, params };
    }
    return found;
  }

  /** One entry per path the handler is mapped to (a controller or a handler may list several). */
  private route(controller: Type<unknown>, handler: Handler): GetRoute[] {
    if (this.reflector.get<RequestMethod>(METHOD_METADATA, handler) !== RequestMethod.GET)
      return [];
    const paths = (target: Type<unknown> | Handler) => {
      const p = this.reflector.get<string | string[] | undefined>(PATH_METADATA, target) ?? '';
      return Array.isArray(p) ? p : [p];
    };
    const options = this.reflector.get<CacheableOptions | undefined>(CACHEABLE, handler);
    const guards = [
      ...(this.reflector.get<unknown[]>(GUARDS_METADATA, controller) ?? []),
      ...(this.reflector.get<unknown[]>(GUARDS_METADATA, handler) ?? []),
    ];
    // The read budget is the one guard the hit path applies itself; any other is Nest's to run.
    const readLimited = guards.includes(CallerThrottlerGuard);
    const servable =
      options?.scope === 'public' &&
      this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, controller]) === true &&
      guards.every((g) => g === CallerThrottlerGuard);
    return paths(controller).flatMap((base) =>
      paths(handler).map((own) => {
        const segments = `${base}/${own}`.split('/').filter((s) => s !== '');
        const wild = segments.some((s) => SPECIAL_SEGMENT.test(s));
        return {
          segments,
          wild,
          hit:
            servable && !wild
              ? {
                  options: options!,
                  controller,
                  handler,
                  segments,
                  template: `/${[API_PREFIX, ...segments].join('/')}`,
                  readLimited,
                }
              : undefined,
        };
      }),
    );
  }
}

function matchSegments(
  pattern: readonly string[],
  path: readonly string[],
): Record<string, string> | undefined {
  if (pattern.length !== path.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(':')) {
      try {
        params[pattern[i].slice(1)] = decodeURIComponent(path[i]);
      } catch {
        return undefined; // a malformed escape: Nest answers it
      }
    } else if (pattern[i] !== path[i]) {
      return undefined;
    }
  }
  return params;
}

/** For a wild route: its segments before the first special one all match (then it may match). */
function matchStart(
  pattern: readonly string[],
  path: readonly string[],
): Record<string, string> | undefined {
  for (let i = 0; i < pattern.length && !SPECIAL_SEGMENT.test(pattern[i]); i++) {
    if (!pattern[i].startsWith(':') && pattern[i] !== path[i]) return undefined;
  }
  return {};
}
