// Bearer tokens that must never authenticate anyone, each with the rejection it must get.
import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { TEST_JWT_SECRET } from '@app/testing';
import { Expectation, rejectWith, Role } from './fuzz-routes';

export interface ForgedToken {
  label: string;
  /** The whole Authorization header value. */
  authorization: string;
  expect: Expectation;
}

const INVALID = rejectWith(401, 'INVALID_TOKEN');
const EXPIRED = rejectWith(401, 'TOKEN_EXPIRED');
/** A header that is not "Bearer <JWT>" at all: either code says the client got it wrong. */
const NOT_A_BEARER_JWT = rejectWith(401, ['INVALID_TOKEN', 'UNAUTHENTICATED']);
/** Not one of the three roles: a bad claim (401) or a role the route does not admit (403). */
const UNKNOWN_ROLE = rejectWith([401, 403], ['INVALID_TOKEN', 'FORBIDDEN_ROLE']);

const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const secretKey = (s: string) => new TextEncoder().encode(s);
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A JWS over hand-written header and payload texts: claims JSON.stringify cannot express (an own `__proto__`). */
function signRaw(
  header: Record<string, unknown>,
  payloadJson: string,
  secret = TEST_JWT_SECRET,
): string {
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(payloadJson)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

/** Unsigned tokens: jose cannot produce them, which is the point. */
function algNone(alg: string, claims: Record<string, unknown>, signature = ''): string {
  return `${b64url(JSON.stringify({ alg, typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}.${signature}`;
}

interface SignOptions {
  alg?: 'HS256' | 'HS384' | 'HS512';
  secret?: string;
  /** Seconds from now; null: no exp claim at all. */
  expiresIn?: number | null;
  notBefore?: number;
}

async function sign(claims: Record<string, unknown>, o: SignOptions = {}): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: o.alg ?? 'HS256', typ: 'JWT' })
    .setIssuedAt();
  if (o.expiresIn !== null) jwt.setExpirationTime(nowSeconds() + (o.expiresIn ?? 3600));
  if (o.notBefore !== undefined) jwt.setNotBefore(nowSeconds() + o.notBefore);
  return jwt.sign(secretKey(o.secret ?? TEST_JWT_SECRET));
}

const bearer = (token: string) => `Bearer ${token}`;

/**
 * Forged and broken tokens for one caller, built once (signing is async; generators pick from the
 * list). Each claims the caller's own sub and role unless the defect is in them, so a check that
 * lets the token through reaches the route exactly as that caller would.
 */
export async function forgeTokens(
  caller: { sub: string; role: Role },
  valid: string,
): Promise<ForgedToken[]> {
  const claims = { sub: caller.sub, role: caller.role };
  const live = { ...claims, iat: nowSeconds(), exp: nowSeconds() + 3600 };
  const [validHeader, validPayload, validSignature] = valid.split('.');
  const forged: ForgedToken[] = [];
  const add = (label: string, token: string, expect: Expectation = INVALID) =>
    forged.push({ label, authorization: bearer(token), expect });

  for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
    add(`alg ${alg}, no signature`, algNone(alg, live));
    add(`alg ${alg} with the signature of a real token`, algNone(alg, live, validSignature));
  }
  add('alg none claiming admin', algNone('none', { ...live, sub: 'a1', role: 'admin' }));
  for (const secret of [
    'another-secret-0123456789abcdef',
    `${TEST_JWT_SECRET}x`,
    TEST_JWT_SECRET.slice(0, -1),
    'secret',
  ]) {
    add(`HS256 signed with another key (${secret.length} chars)`, await sign(claims, { secret }));
  }
  add('HS384 with the right key (algorithm not allowed)', await sign(claims, { alg: 'HS384' }));
  add('HS512 with the right key (algorithm not allowed)', await sign(claims, { alg: 'HS512' }));
  add(
    'payload swapped for an admin one, signature kept',
    `${validHeader}.${b64url(JSON.stringify({ ...live, role: 'admin', sub: 'a1' }))}.${validSignature}`,
  );
  add(
    'signature with one character changed',
    `${validHeader}.${validPayload}.${validSignature.startsWith('A') ? 'B' : 'A'}${validSignature.slice(1)}`,
  );
  add('signature removed', `${validHeader}.${validPayload}.`);
  add('no exp claim', await sign(claims, { expiresIn: null }));
  add('no exp and no iat', signRaw({ alg: 'HS256', typ: 'JWT' }, JSON.stringify(claims)));
  add('expired a second ago', await sign(claims, { expiresIn: -1 }), EXPIRED);
  add('expired a year ago', await sign(claims, { expiresIn: -365 * 86400 }), EXPIRED);
  add('not valid for another hour (nbf)', await sign(claims, { notBefore: 3600 }));
  for (const role of [
    'root',
    'superuser',
    'ADMIN',
    'Admin',
    'admin ',
    '',
    '__proto__',
    'constructor',
  ]) {
    add(`unknown role ${JSON.stringify(role)}`, await sign({ ...claims, role }), UNKNOWN_ROLE);
  }
  for (const role of [['admin'], { admin: true }, 1, null, true]) {
    add(
      `role of the wrong type ${JSON.stringify(role)}`,
      await sign({ ...claims, role }),
      UNKNOWN_ROLE,
    );
  }
  add('no role claim', await sign({ sub: caller.sub }), UNKNOWN_ROLE);
  add(
    'role smuggled in through __proto__',
    signRaw(
      { alg: 'HS256', typ: 'JWT' },
      `{"sub":${JSON.stringify(caller.sub)},"exp":${nowSeconds() + 3600},"__proto__":{"role":"admin"}}`,
    ),
    UNKNOWN_ROLE,
  );
  add('no sub claim', await sign({ role: caller.role }));
  for (const sub of ['', 123, null, ['u1'], { id: 'u1' }, true]) {
    add(
      `sub of the wrong type or empty ${JSON.stringify(sub)}`,
      await sign({ sub, role: caller.role }),
    );
  }
  for (const length of [2049, 3000, 8000]) {
    add(
      `oversize sub (${length} chars)`,
      await sign({ ...claims, sub: `${caller.sub}${'x'.repeat(length - caller.sub.length)}` }),
    );
  }
  add(
    'unknown critical header',
    signRaw(
      { alg: 'HS256', typ: 'JWT', crit: ['x-unknown'], 'x-unknown': 1 },
      JSON.stringify(live),
    ),
  );
  add(
    'header and payload that are not JSON',
    `${b64url('not json')}.${b64url('{"sub":')}.${validSignature}`,
  );
  add('random base64url parts', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl');

  for (const [label, authorization] of [
    ['"Bearer" and nothing else', 'Bearer'],
    ['"Bearer " and nothing else', 'Bearer '],
    ['Basic credentials', 'Basic dXNlcjpwYXNzd29yZA=='],
    ['the token without "Bearer "', valid],
    ['another scheme with a real token', `Token ${valid}`],
    ['two dot-separated parts', `Bearer ${validHeader}.${validPayload}`],
    ['four dot-separated parts', `Bearer ${valid}.x`],
    ['a real token followed by junk', `Bearer ${valid} junk`],
    ['two real tokens', `Bearer ${valid},${valid}`],
    ['characters outside base64url', `Bearer ${validHeader}.${validPayload}+/=.${validSignature}`],
    ['an empty header', ''],
    [
      'an oversize junk token (9 KB)',
      `Bearer ${'a'.repeat(3000)}.${'b'.repeat(3000)}.${'c'.repeat(3000)}`,
    ],
  ] as const) {
    forged.push({ label: `Authorization: ${label}`, authorization, expect: NOT_A_BEARER_JWT });
  }
  return forged;
}
