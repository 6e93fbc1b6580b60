import { METHOD_METADATA } from '@nestjs/common/constants';
import { DECORATORS } from '@nestjs/swagger';
import type { ResponseObject, SchemaObject } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { ERROR_STATUS, ErrorCode } from '../errors/error-codes';
import { ERROR_DETAILS, ERROR_EXAMPLES, RETRY_AFTER_CODES } from './error-examples';

const CODES = Symbol('openapi:error-codes');
type Handler = (...args: unknown[]) => unknown;

/** The error body of one status (error-body.ts): `code` is one of the codes this route can answer. */
export function errorSchema(status: number, codes: readonly ErrorCode[]): SchemaObject {
  return {
    type: 'object',
    required: ['statusCode', 'error', 'code', 'message'],
    properties: {
      statusCode: { type: 'integer', enum: [status] },
      error: { type: 'string', example: STATUS_CODES[status] },
      code: { type: 'string', enum: [...codes] },
      message: { type: 'string', description: 'for people; `code` is the stable part' },
      // The details some of the codes add (none is sent with every code of the status).
      ...Object.assign({}, ...codes.map((code) => ERROR_DETAILS[code] ?? {})),
    },
    // A domain error adds its details beside them (ERROR_DETAILS lists the known ones).
    additionalProperties: true,
  };
}

/** The response object of one status: the schema, an example per code, `Retry-After` when it applies. */
export function errorResponse(status: number, codes: readonly ErrorCode[]): ResponseObject {
  const retry = codes.filter((c) => RETRY_AFTER_CODES.has(c));
  return {
    description: `${STATUS_CODES[status]}: ${codes.join(', ')}`,
    ...(retry.length > 0 && {
      headers: {
        'Retry-After': {
          description: `seconds to wait before retrying (sent with ${retry.join(', ')})`,
          schema: { type: 'integer', minimum: 1 },
        },
      },
    }),
    content: {
      'application/json': {
        schema: errorSchema(status, codes),
        examples: Object.fromEntries(
          codes.map((code) => [
            code,
            {
              value: {
                statusCode: status,
                error: STATUS_CODES[status],
                code,
                message: ERROR_EXAMPLES[code],
              },
            },
          ]),
        ),
      },
    },
  };
}

/** The codes grouped by their status (ERROR_STATUS), statuses ascending, codes in table order. */
export function byStatus(codes: Iterable<ErrorCode>): Map<number, ErrorCode[]> {
  const wanted = new Set(codes);
  const groups = new Map<number, ErrorCode[]>();
  for (const code of Object.keys(ERROR_STATUS) as ErrorCode[]) {
    if (!wanted.has(code)) continue;
    const status = ERROR_STATUS[code];
    groups.set(status, [...(groups.get(status) ?? []), code]);
  }
  return new Map([...groups].sort(([a], [b]) => a - b));
}

/** Adds codes to a handler and rewrites its error responses, one per status, from all its codes. */
function addCodes(handler: Handler, codes: readonly ErrorCode[]): void {
  const all: ErrorCode[] = [...new Set([...(Reflect.getMetadata(CODES, handler) ?? []), ...codes])];
  Reflect.defineMetadata(CODES, all, handler);
  // Entries are replaced, not merged as @ApiResponse would (it joins the descriptions).
  // Swagger adds no default success response to a handler with response metadata: every route
  // declares its own (@ApiOkResponse, …), which the completeness spec checks.
  const responses: Record<string, unknown> = {
    ...Reflect.getMetadata(DECORATORS.API_RESPONSE, handler),
  };
  for (const [status, group] of byStatus(all)) {
    const { description, headers, content } = errorResponse(status, group);
    const { schema, examples } = content!['application/json'];
    responses[status] = { description, headers, schema, examples };
  }
  Reflect.defineMetadata(DECORATORS.API_RESPONSE, responses, handler);
}

/**
 * The error codes a route (or every route of a controller) can answer with, documented as one
 * response per HTTP status taken from ERROR_STATUS, whose `code` is an enum of those codes, with an
 * example of each. Codes add up: `@Roles`, `@RateLimitedRead` and the route's own `@ApiErrors` each
 * name theirs, and a status shared by two of them lists the codes of both.
 */
export function ApiErrors(...codes: ErrorCode[]): ClassDecorator & MethodDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor) {
      addCodes(descriptor.value as Handler, codes);
      return;
    }
    // A class decorator runs after its methods' decorators: every route handler is there already.
    const proto = (target as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const value = Object.getOwnPropertyDescriptor(proto, name)?.value as unknown;
      if (typeof value === 'function' && Reflect.hasMetadata(METHOD_METADATA, value)) {
        addCodes(value as Handler, codes);
      }
    }
  };
}

/** The codes a handler documents (for the completeness spec and the document's common responses). */
export const documentedCodes = (handler: Handler): ErrorCode[] =>
  Reflect.getMetadata(CODES, handler) ?? [];
