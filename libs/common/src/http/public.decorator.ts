import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import { BEARER } from '../openapi/openapi-document';

export const IS_PUBLIC = 'auth:public';

/**
 * Anyone may call the route; a token, when sent, is still verified and attached. The documents
 * say so: no security requirement, or the bearer one (its 401s are added by createOpenApiDocument).
 */
export const Public = () =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), ApiSecurity({}), ApiSecurity(BEARER));
