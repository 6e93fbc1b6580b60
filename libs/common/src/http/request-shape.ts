import { CanActivate, ExecutionContext, Injectable, Type } from '@nestjs/common';
import { PARAMTYPES_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { Request } from 'express';
import { StrictValidationPipe, validationFailed } from './validation.pipe';

/** What a handler declares of one request part (path params or query). */
interface PartShape {
  /** The DTO class of a whole-part argument (`@Query() q: ListCoursesQuery`). */
  dto?: Type<unknown>;
  /** Fields named one by one (`@Param('id') id: string`). */
  fields: string[];
  /** A whole-part argument without a DTO class (`@Query() q: Record<string, unknown>`) accepts anything. */
  free: boolean;
}

interface RouteShape {
  params: PartShape;
  query: PartShape;
}

/** The route's params and query after validation: only declared fields, typed, defaults applied. */
export interface ValidatedRequest {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
}

const VALIDATED = Symbol('validated request');
type ShapedRequest = Request & { [VALIDATED]?: Promise<ValidatedRequest> };

// Types the ValidationPipe leaves alone: a whole-part argument of one of these is not a DTO.
const PLAIN_TYPES = new Set<unknown>([Object, String, Number, Boolean, Array, undefined]);

const shapes = new WeakMap<object, RouteShape>();

/** Read once per handler from the metadata Nest's @Param() / @Query() decorators leave. */
function routeShape(
  controller: Type<unknown>,
  handler: (...args: unknown[]) => unknown,
): RouteShape {
  const known = shapes.get(handler);
  if (known) return known;
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler.name) ?? {}) as Record<
    string,
    { index: number; data?: unknown }
  >;
  const types = (Reflect.getMetadata(PARAMTYPES_METADATA, controller.prototype, handler.name) ??
    []) as unknown[];
  const part = (paramtype: RouteParamtypes): PartShape => {
    const shape: PartShape = { fields: [], free: false };
    for (const [key, arg] of Object.entries(args)) {
      if (Number(key.split(':')[0]) !== paramtype) continue;
      if (typeof arg.data === 'string') shape.fields.push(arg.data);
      else if (PLAIN_TYPES.has(types[arg.index])) shape.free = true;
      else shape.dto = types[arg.index] as Type<unknown>;
    }
    return shape;
  };
  const shape = { params: part(RouteParamtypes.PARAM), query: part(RouteParamtypes.QUERY) };
  shapes.set(handler, shape);
  return shape;
}

const pipe = new StrictValidationPipe();

async function validatePart(
  raw: Record<string, unknown>,
  shape: PartShape,
  type: 'param' | 'query',
): Promise<Record<string, unknown>> {
  if (shape.dto)
    return (await pipe.transform(raw, { type, metatype: shape.dto })) as Record<string, unknown>;
  if (shape.free) return { ...raw };
  const unknown = Object.keys(raw).filter((k) => !shape.fields.includes(k));
  if (unknown.length > 0) {
    throw validationFailed(
      unknown
        .map((k) => `${type === 'query' ? 'query parameter' : 'parameter'} ${k} should not exist`)
        .join('; '),
    );
  }
  return Object.fromEntries(
    shape.fields.filter((k) => raw[k] !== undefined).map((k) => [k, raw[k]]),
  );
}

/**
 * Validates the route's path params and query against what its handler declares, once per request
 * (memoised on it): a route that declares no query refuses every query parameter, so `?nc=<random>`
 * is a 400, not a cache miss. Guards and the cache interceptor run before Nest's pipes, so whatever
 * they do with params or query (an ownership lookup, a cache key) uses this, never the raw request.
 */
export function validatedRequest(ctx: ExecutionContext): Promise<ValidatedRequest> {
  const req = ctx.switchToHttp().getRequest<ShapedRequest>();
  req[VALIDATED] ??= validateRouteRequest(
    ctx.getClass(),
    ctx.getHandler() as (...args: unknown[]) => unknown,
    req.params,
    req.query as Record<string, unknown>,
  );
  return req[VALIDATED];
}

/**
 * The same validation outside Nest's pipeline, for a handler found by its metadata (the cache's
 * hit path, which answers before routing): rejects exactly when validatedRequest would.
 */
export async function validateRouteRequest(
  controller: Type<unknown>,
  handler: (...args: unknown[]) => unknown,
  params: Record<string, unknown>,
  query: Record<string, unknown>,
): Promise<ValidatedRequest> {
  const shape = routeShape(controller, handler);
  return {
    params: await validatePart({ ...params }, shape.params, 'param'),
    query: await validatePart({ ...query }, shape.query, 'query'),
  };
}

/** Global guard: bad params or query are refused before any other guard, interceptor or cache work. */
@Injectable()
export class RequestShapeGuard implements CanActivate {
  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() === 'http') await validatedRequest(ctx);
    return true;
  }
}
