import { Inject, Injectable } from '@nestjs/common';
import {
  createRemoteJWKSet,
  errors,
  JWTPayload,
  jwtVerify,
  JWTVerifyGetKey,
  JWTVerifyOptions,
} from 'jose';
import { authConfig } from '@app/common';
import type { AuthConfig } from '@app/common';
import { AuthUser, ROLES, Role } from './auth-user';
import { Unauthenticated } from './auth.errors';

/**
 * A subject becomes part of DynamoDB keys (`<sub>#<course>`) and cache keys: a bounded, safe alphabet
 * (IdP subjects such as UUIDs, `auth0|…` or e-mail-like ids fit; `#` does not, it separates key parts).
 */
export const SUBJECT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:@|+-]{0,127}$/;

/**
 * Verifies bearer tokens: HS256 with JWT_SECRET locally, or RS/ES keys from an OIDC JWKS URL
 * when JWKS_URL is set. Claims must carry a well-formed `sub`, a known `role` and `exp` (or, with
 * JWT_MAX_AGE_S, an `iat` younger than that): a token that never expires is refused.
 */
@Injectable()
export class JwtVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly options: JWTVerifyOptions;

  constructor(@Inject(authConfig.KEY) auth: AuthConfig) {
    this.key = auth.jwksUrl
      ? createRemoteJWKSet(new URL(auth.jwksUrl))
      : new TextEncoder().encode(auth.jwtSecret);
    this.options = {
      issuer: auth.issuer,
      audience: auth.audience,
      algorithms: auth.jwksUrl ? ['RS256', 'ES256', 'PS256'] : ['HS256'],
      ...(auth.maxAgeSeconds === undefined
        ? { requiredClaims: ['exp'] }
        : { requiredClaims: ['iat'], maxTokenAge: auth.maxAgeSeconds }),
    };
  }

  async verify(token: string): Promise<AuthUser> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key as Uint8Array, this.options));
    } catch (err) {
      const expired = err instanceof errors.JWTExpired;
      throw new Unauthenticated(
        expired ? 'TOKEN_EXPIRED' : 'INVALID_TOKEN',
        expired ? 'the bearer token has expired' : 'the bearer token is not valid',
      );
    }
    const role = payload.role;
    if (typeof payload.sub !== 'string' || !SUBJECT_PATTERN.test(payload.sub)) {
      throw new Unauthenticated(
        'INVALID_TOKEN',
        'the bearer token\'s subject (sub) must be 1-128 letters, digits or "_.:@|+-"',
      );
    }
    if (typeof role !== 'string' || !ROLES.includes(role as Role)) {
      throw new Unauthenticated(
        'INVALID_TOKEN',
        `the bearer token's role must be one of ${ROLES.join(', ')}`,
      );
    }
    const email = typeof payload.email === 'string' ? payload.email : undefined;
    return { sub: payload.sub, role: role as Role, email };
  }
}
