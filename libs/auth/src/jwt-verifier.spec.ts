import { AuthConfig, DomainError, ERROR_STATUS } from '@app/common';
import { SignJWT } from 'jose';
import { JwtVerifier } from './jwt-verifier';
import { signToken } from './sign-token';

const secret = 'unit-test-secret-0123456789';
const config = (over: Partial<AuthConfig> = {}) => ({ jwtSecret: secret, ...over }) as AuthConfig;
const sut = new JwtVerifier(config());
/** The code a rejection carries and the status the API answers it with. */
const asHttp = (err: DomainError) => ({ code: err.code, status: ERROR_STATUS[err.code] });
const raw = (claims: Record<string, unknown>, exp: string | null = '1h', key = secret) => {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  return (exp === null ? jwt : jwt.setExpirationTime(exp)).sign(new TextEncoder().encode(key));
};

describe('JwtVerifier', () => {
  it('accepts a token from signToken and returns its claims', async () => {
    const token = await signToken({ sub: 'u1', role: 'student', email: 'u1@example.edu' }, secret);
    await expect(sut.verify(token)).resolves.toEqual({
      sub: 'u1',
      role: 'student',
      email: 'u1@example.edu',
    });
  });

  it.each([
    [
      'signed with another key',
      () => raw({ sub: 'u1', role: 'student' }, '1h', 'another-secret-0123456789'),
      'INVALID_TOKEN',
    ],
    ['expired', () => raw({ sub: 'u1', role: 'student' }, '-1m'), 'TOKEN_EXPIRED'],
    ['without sub', () => raw({ role: 'student' }), 'INVALID_TOKEN'],
    ['with an unknown role', () => raw({ sub: 'u1', role: 'root' }), 'INVALID_TOKEN'],
    ['without exp', () => raw({ sub: 'u1', role: 'student' }, null), 'INVALID_TOKEN'],
    [
      'with a sub over 128 characters',
      () => raw({ sub: 'u'.repeat(2100), role: 'student' }),
      'INVALID_TOKEN',
    ],
    [
      'with a sub holding the key separator #',
      () => raw({ sub: 'u1#CS101', role: 'student' }),
      'INVALID_TOKEN',
    ],
    ['with an empty sub', () => raw({ sub: '', role: 'student' }), 'INVALID_TOKEN'],
    ['with a non-string sub', () => raw({ sub: 42, role: 'student' }), 'INVALID_TOKEN'],
    ['not a JWT at all', async () => 'abc.def.ghi', 'INVALID_TOKEN'],
  ])('rejects a token %s with 401', async (_label, make, code) => {
    await expect(sut.verify(await make()).catch(asHttp)).resolves.toMatchObject({
      status: 401,
      code,
    });
  });

  it('accepts IdP-style subjects', async () => {
    for (const sub of [
      'auth0|5f7c8ec7c33c6c004bbafe82',
      '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
      'jane.doe@example.edu',
    ]) {
      await expect(sut.verify(await raw({ sub, role: 'student' }))).resolves.toMatchObject({ sub });
    }
  });

  describe('with JWT_MAX_AGE_S set', () => {
    const maxAge = new JwtVerifier(config({ maxAgeSeconds: 600 }));

    it('accepts a token without exp while its iat is recent', async () => {
      await expect(
        maxAge.verify(await raw({ sub: 'u1', role: 'student' }, null)),
      ).resolves.toMatchObject({ sub: 'u1' });
    });

    it('rejects one issued longer ago than the maximum age, or without iat', async () => {
      const old = new SignJWT({ sub: 'u1', role: 'student' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
        .sign(new TextEncoder().encode(secret));
      await expect(maxAge.verify(await old).catch(asHttp)).resolves.toMatchObject({ status: 401 });
      const noIat = new SignJWT({ sub: 'u1', role: 'student' })
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode(secret));
      await expect(maxAge.verify(await noIat)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    });
  });

  it('rejects alg=none tokens', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'u1', role: 'admin' })).toString('base64url');
    await expect(sut.verify(`${header}.${body}.`)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });
});
