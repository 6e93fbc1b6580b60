import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { AuthUser, Role } from './auth-user';

export const IS_PUBLIC = 'auth:public';
export const ROLES_KEY = 'auth:roles';

/** Anyone may call the route; a token, when sent, is still verified and attached. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only callers with one of these roles may call the route. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The verified caller (undefined on a public route called without a token). */
export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthUser | undefined => ctx.switchToHttp().getRequest().user,
);
