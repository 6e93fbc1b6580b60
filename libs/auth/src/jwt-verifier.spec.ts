import { ConfigService } from '@nestjs/config';
import { SignJWT } from 'jose';
import { JwtVerifier } from './jwt-verifier';
import { signToken } from './sign-token';

const secret = 'unit-test-secret-0123456789';
const sut = new JwtVerifier(new ConfigService({ auth: { jwtSecret: secret } }));
const raw = (claims: Record<string, unknown>, exp = '1h', key = secret) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(exp).sign(new TextEncoder().encode(key));

describe('JwtVerifier', () => {
  it('accepts a token from signToken and returns its claims', async () => {
    const token = await signToken({ sub: 'u1', role: 'student', email: 'u1@example.edu' }, secret);
    await expect(sut.verify(token)).resolves.toEqual({ sub: 'u1', role: 'student', email: 'u1@example.edu' });
  });

  it.each([
    ['signed with another key', () => raw({ sub: 'u1', role: 'student' }, '1h', 'another-secret-0123456789'), 'INVALID_TOKEN'],
    ['expired', () => raw({ sub: 'u1', role: 'student' }, '-1m'), 'TOKEN_EXPIRED'],
    ['without sub', () => raw({ role: 'student' }), 'INVALID_TOKEN'],
    ['with an unknown role', () => raw({ sub: 'u1', role: 'root' }), 'INVALID_TOKEN'],
    ['not a JWT at all', async () => 'abc.def.ghi', 'INVALID_TOKEN'],
  ])('rejects a token %s with 401 %s', async (_label, make, code) => {
    await expect(sut.verify(await make())).rejects.toMatchObject({ status: 401, code });
  });

  it('rejects alg=none tokens', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'u1', role: 'admin' })).toString('base64url');
    await expect(sut.verify(`${header}.${body}.`)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });
});
