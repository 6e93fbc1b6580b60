import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiErrors } from '@app/common';
import { AuthUser, Role } from './auth-user';

// @Public() lives in libs/common so that the platform's health and metrics controllers can use it.
export { IS_PUBLIC, Public } from '@app/common';
export const ROLES_KEY = 'auth:roles';

/** Only callers with one of these roles may call the route (documented as its 403 FORBIDDEN_ROLE). */
export const Roles = (...roles: Role[]) =>
  applyDecorators(SetMetadata(ROLES_KEY, roles), ApiErrors('FORBIDDEN_ROLE'));

/** The verified caller (undefined on a public route called without a token). */
export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthUser | undefined => ctx.switchToHttp().getRequest().user,
);
