import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { AdminConfig } from '@app/common';
import { ForbiddenRole, JwtVerifier, Unauthenticated } from '@app/auth';

const same = (a: string, b: string) => {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * The queue dashboard is Express middleware (bull-board), outside Nest's routes and so outside the
 * global AuthGuard: this decides who may see it. An admin's bearer token, or — for a browser, which
 * cannot attach a bearer token to a page load — HTTP basic auth with ADMIN_BASIC_AUTH_USER/PASSWORD
 * when they are set. Anyone else gets the API's 401 (with a basic-auth challenge when it is on) or
 * 403 body.
 */
export function adminOnly(verifier: JwtVerifier, admin: AdminConfig) {
  const realm = 'Basic realm="queue dashboard", charset="UTF-8"';
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization?.trim() ?? '';
    const [scheme, credentials = ''] = header.split(/\s+/, 2);
    if (/^bearer$/i.test(scheme)) {
      const user = await verifier.verify(credentials);
      if (user.role !== 'admin') throw new ForbiddenRole(['admin']);
      return next();
    }
    if (/^basic$/i.test(scheme) && admin.basicAuth) {
      const decoded = Buffer.from(credentials, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const [user, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
      // Both compared, always: the time taken does not say which one was wrong.
      const userOk = same(user, admin.basicAuth.user);
      const passwordOk = same(password, admin.basicAuth.password);
      if (colon >= 0 && userOk && passwordOk) return next();
    }
    if (admin.basicAuth) res.setHeader('WWW-Authenticate', realm);
    throw new Unauthenticated('UNAUTHENTICATED', 'the queue dashboard is for admins');
  };
}
