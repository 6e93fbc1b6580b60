import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/**
 * The security headers of every response (helmet's defaults: nosniff, frame-ancestors and
 * X-Frame-Options, Referrer-Policy, a same-origin CSP, HSTS): the one configuration, applied to
 * Express by configureApp.
 */
export const securityHeadersMiddleware = helmet();

/**
 * The headers that middleware sets, as a map: for responses written before Express runs (the
 * cache's hit path), so they carry exactly what every other response carries. They depend on no
 * request, so they are computed once.
 */
export function securityHeaders(): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => (headers[name] = String(value)),
    removeHeader: (name: string) => delete headers[name],
  };
  securityHeadersMiddleware(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    () => undefined,
  );
  return headers;
}
