import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { Response } from 'express';
import { DomainError } from '../errors/domain-error';
import { ERROR_STATUS } from '../errors/error-codes';
import { ErrorBody, errorBody } from './error-body';
import { BODY_TOO_DEEP } from './json-body';

// Stable codes for the errors Nest and body-parser raise themselves.
const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/** body-parser errors carry `type` and `status`; they reach the filter as plain errors. */
interface BodyParserError extends Error {
  type: string;
  status: number;
}

const isBodyParserError = (e: unknown): e is BodyParserError =>
  e instanceof Error &&
  typeof (e as BodyParserError).type === 'string' &&
  typeof (e as BodyParserError).status === 'number';

export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof DomainError) {
    return {
      ...exception.details,
      ...errorBody(ERROR_STATUS[exception.code], exception.code, exception.message),
    };
  }
  // Nest's Express adapter wraps body-parser's errors in an HttpException; the original is the cause.
  const parserError = isBodyParserError(exception)
    ? exception
    : exception instanceof HttpException && isBodyParserError(exception.cause)
      ? exception.cause
      : undefined;
  if (parserError && parserError.status >= 400 && parserError.status < 500) {
    return fromBodyParser(parserError);
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const res = exception.getResponse();
    const fromResponse =
      typeof res === 'object' && res !== null ? (res as Record<string, unknown>) : {};
    const code =
      typeof fromResponse.code === 'string'
        ? fromResponse.code
        : (HTTP_CODES[status] ?? `HTTP_${status}`);
    const raw = fromResponse.message ?? exception.message;
    const message = Array.isArray(raw) ? raw.join('; ') : String(raw);
    return errorBody(status, code, message);
  }
  if (isDependencyUnavailable(exception)) {
    return errorBody(
      ERROR_STATUS.DEPENDENCY_UNAVAILABLE,
      'DEPENDENCY_UNAVAILABLE',
      'a backing service did not answer in time; retry shortly',
    );
  }
  return errorBody(
    HttpStatus.INTERNAL_SERVER_ERROR,
    'INTERNAL_ERROR',
    'an unexpected error occurred',
  );
}

// Timeouts, throttling and refused connections of a backing service (DynamoDB through the AWS SDK):
// the request was fine and may succeed when retried, so 503 rather than 500.
const UNAVAILABLE_NAMES = new Set([
  'TimeoutError',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'InternalServerError',
]);
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

function isDependencyUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as Error & { code?: string }).code;
  return UNAVAILABLE_NAMES.has(e.name) || (code !== undefined && UNAVAILABLE_CODES.has(code));
}

function fromBodyParser(error: BodyParserError): ErrorBody {
  switch (error.type) {
    case 'entity.parse.failed':
      return errorBody(400, 'MALFORMED_JSON', 'the request body is not valid JSON');
    case 'entity.too.large':
      return errorBody(413, 'PAYLOAD_TOO_LARGE', 'the request body is larger than the limit');
    case BODY_TOO_DEEP:
      return errorBody(400, 'VALIDATION_FAILED', error.message);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return errorBody(415, 'UNSUPPORTED_MEDIA_TYPE', error.message);
    default:
      return errorBody(error.status, HTTP_CODES[error.status] ?? 'BAD_REQUEST', error.message);
  }
}

/** Renders every error as `{ statusCode, error, code, message }`; logs only the unexpected ones. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = toErrorBody(exception);
    if (body.statusCode === 503) {
      this.logger.warn(
        `dependency unavailable: ${(exception as Error).name}: ${(exception as Error).message}`,
      );
    } else if (body.statusCode >= 500) {
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
    }
    if (res.headersSent) return;
    const retryAfter =
      exception instanceof DomainError
        ? exception.retryAfterSeconds
        : body.statusCode === 503
          ? 1
          : undefined;
    // Every 503 says when to come back, so a client can act on it (and retry a write with its key).
    if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
    res.status(body.statusCode).json(body);
  }
}
