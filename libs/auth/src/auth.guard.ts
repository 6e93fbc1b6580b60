import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC } from '@app/common';
import { Request } from 'express';
import { AuthUser, Role } from './auth-user';
import { ROLES_KEY } from './auth.decorators';
import { ForbiddenRole, Unauthenticated } from './auth.errors';
import { JwtVerifier } from './jwt-verifier';

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(); @Roles() narrows it.
 * A malformed or invalid token is rejected even on public routes, so a client learns its token is bad.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: JwtVerifier,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const targets = [ctx.getHandler(), ctx.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false;

    const header = req.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)$/.exec(
        header.trim(),
      );
      if (!match) {
        throw new Unauthenticated(
          'INVALID_TOKEN',
          'the Authorization header must be "Bearer <JWT>"',
        );
      }
      req.user = await this.verifier.verify(match[1]);
    }
    if (isPublic) return true;
    if (!req.user) {
      throw new Unauthenticated(
        'UNAUTHENTICATED',
        'this route needs an Authorization: Bearer <JWT> header',
      );
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(req.user.role)) {
      throw new ForbiddenRole(roles);
    }
    return true;
  }
}
