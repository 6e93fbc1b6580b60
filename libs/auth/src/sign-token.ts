import { SignJWT } from 'jose';
import { AuthUser } from './auth-user';

/** Issues a local HS256 token (dev launcher, `npm run token`, tests). Production tokens come from the IdP. */
export async function signToken(
  claims: AuthUser,
  secret: string,
  expiresIn = '12h',
): Promise<string> {
  const payload: Record<string, unknown> = { role: claims.role };
  if (claims.email) payload.email = claims.email;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}
