import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createRemoteJWKSet, errors, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import { AuthConfig, DomainError } from '@app/common';
import { AuthUser, ROLES, Role } from './auth-user';

export class UnauthenticatedError extends DomainError {
  constructor(code: string, message: string) {
    super(401, code, message);
  }
}

/**
 * Verifies bearer tokens: HS256 with JWT_SECRET locally, or RS/ES keys from an OIDC JWKS URL
 * when JWKS_URL is set. Claims must carry `sub` and a known `role`.
 */
@Injectable()
export class JwtVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly options: { issuer?: string; audience?: string; algorithms: string[] };

  constructor(config: ConfigService) {
    const auth = config.getOrThrow<AuthConfig>('auth');
    this.key = auth.jwksUrl
      ? createRemoteJWKSet(new URL(auth.jwksUrl))
      : new TextEncoder().encode(auth.jwtSecret);
    this.options = {
      issuer: auth.issuer,
      audience: auth.audience,
      algorithms: auth.jwksUrl ? ['RS256', 'ES256', 'PS256'] : ['HS256'],
    };
  }

  async verify(token: string): Promise<AuthUser> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key as Uint8Array, this.options));
    } catch (err) {
      const expired = err instanceof errors.JWTExpired;
      throw new UnauthenticatedError(
        expired ? 'TOKEN_EXPIRED' : 'INVALID_TOKEN',
        expired ? 'the bearer token has expired' : 'the bearer token is not valid',
      );
    }
    const role = payload.role;
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) {
      throw new UnauthenticatedError('INVALID_TOKEN', 'the bearer token has no subject (sub)');
    }
    if (typeof role !== 'string' || !ROLES.includes(role as Role)) {
      throw new UnauthenticatedError('INVALID_TOKEN', `the bearer token's role must be one of ${ROLES.join(', ')}`);
    }
    const email = typeof payload.email === 'string' ? payload.email : undefined;
    return { sub: payload.sub, role: role as Role, email };
  }
}
