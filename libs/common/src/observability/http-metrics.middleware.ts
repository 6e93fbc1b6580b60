import { NextFunction, Request, Response } from 'express';
import { histogram } from '../metrics/metric-factory';

/** Every request's latency; the cache's hit path, which answers before Express, observes it too. */
export const httpRequestDuration = histogram(
  'http_request_duration_seconds',
  'HTTP request latency by route template and status',
  ['method', 'route', 'status'],
);

/** Times every request, labelled by the route template (never the raw URL, to bound cardinality). */
export function httpMetricsMiddleware(req: Request, res: Response, next: NextFunction): void {
  const end = httpRequestDuration.startTimer();
  res.once('finish', () => {
    const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
    end({ method: req.method, route, status: String(res.statusCode) });
  });
  next();
}
