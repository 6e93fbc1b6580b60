import type { IncomingMessage, ServerResponse } from 'node:http';

/** What pino-http's standard serializer hands on: the request's id and the raw request. */
interface SerializedRequest {
  id?: unknown;
  raw?: IncomingMessage;
  method?: string;
  url?: string;
}

/**
 * pino-http binds the serialized request to a child logger on EVERY request, logged or not, so the
 * serializer is on the hot path. The standard one hands on all headers, which then need redaction
 * (Authorization, cookies) on every request; in the profile of a cached list that redaction and
 * serialization was ~2% of the request's CPU. An access log needs the id, method and path: headers
 * are never logged, so no secret is either.
 */
export const accessLogSerializers = {
  req: (req: SerializedRequest) => ({ id: req.id, method: req.method, url: req.url }),
  res: (res: ServerResponse | { statusCode?: number }) => ({ statusCode: res.statusCode }),
};
