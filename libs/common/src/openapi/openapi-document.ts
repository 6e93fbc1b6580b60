import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject, OperationObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { ERROR_STATUS, ErrorCode } from '../errors/error-codes';
import { byStatus, errorResponse } from './api-errors.decorator';

export const BEARER = 'bearer';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * The app's OpenAPI document: served at /docs and exported by `npm run openapi:export`. Needs the
 * global prefix set, nothing else: it reads the controllers' metadata, so a preview app (no
 * provider created, no connection opened) is enough.
 */
export function createOpenApiDocument(app: INestApplication, title: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(title)
    .setDescription(
      `The ${title} app of the course-registration backend. Errors are ` +
        '`{ statusCode, error, code, message, ...details }` with a stable `code`.',
    )
    .setVersion('1')
    .addServer('/', 'the app itself, or the reverse proxy in front of every app')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER)
    // Every route needs a token unless it says otherwise (the global AuthGuard; @Public()).
    .addSecurityRequirements(BEARER)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // DocumentBuilder has no license without a URL, and a private package has none to link to.
  document.info = { ...document.info, license: { name: 'UNLICENSED' } };
  delete document.info.contact;
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) addCommonErrors(path, operation);
    }
  }
  return document;
}

/** What any route can answer, whatever its own errors: the request's shape, the token, the backends. */
function addCommonErrors(path: string, operation: OperationObject): void {
  const codes: ErrorCode[] = ['VALIDATION_FAILED'];
  if (operation.requestBody)
    codes.push('MALFORMED_JSON', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  const security = operation.security;
  const optional = security?.some((r) => Object.keys(r).length === 0) ?? false;
  // A token, when sent, is verified even on a public route.
  codes.push('INVALID_TOKEN', 'TOKEN_EXPIRED');
  if (!optional) codes.push('UNAUTHENTICATED');
  // Probes and metrics read no table; every API route does.
  if (path.startsWith('/api/')) codes.push('DEPENDENCY_UNAVAILABLE');
  mergeErrors(operation, codes);
}

/** Adds codes to an operation's error responses, one response per status with every code of it. */
export function mergeErrors(operation: OperationObject, codes: readonly ErrorCode[]): void {
  const all = new Set<ErrorCode>([...errorCodesOf(operation), ...codes]);
  for (const [status, group] of byStatus(all)) {
    operation.responses[status] = errorResponse(status, group);
  }
}

/** The error codes an operation documents (its error schemas' `code` enums). */
export function errorCodesOf(operation: OperationObject): ErrorCode[] {
  return Object.values(operation.responses).flatMap((response) => {
    const schema = (response as ResponseObject).content?.['application/json']?.schema as
      SchemaObject | undefined;
    const code = schema?.properties?.code as SchemaObject | undefined;
    return ((code?.enum ?? []) as string[]).filter((c): c is ErrorCode => c in ERROR_STATUS);
  });
}
