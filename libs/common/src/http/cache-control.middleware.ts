import type { NextFunction, Request, Response } from 'express';

/**
 * A response to a request that carries credentials may depend on who sent it (a profile, a
 * schedule, a roster): no shared cache (a proxy, a CDN) may store it, and no browser may keep it.
 * Set first, so errors and cache hits carry it too.
 */
export function privateWhenAuthenticated(req: Request, res: Response, next: NextFunction): void {
  if (req.headers.authorization !== undefined) res.setHeader('Cache-Control', 'private, no-store');
  next();
}
