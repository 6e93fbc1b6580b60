import { AuthUser, signToken } from '@app/auth';

/** The JWT_SECRET a test stack gives the apps under test, and that `tokenFor` signs with. */
export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdef';

/** A bearer token for `user`, valid for an hour, that the apps of a test stack accept. */
export function tokenFor(user: AuthUser): Promise<string> {
  return signToken(user, TEST_JWT_SECRET, '1h');
}

/** The Authorization header of `sub` in `role` (email `<sub>@example.edu`). */
export async function authAs(
  sub: string,
  role: AuthUser['role'] = 'student',
): Promise<{ Authorization: string }> {
  return { Authorization: `Bearer ${await tokenFor({ sub, role, email: `${sub}@example.edu` })}` };
}

/** The Authorization header of student `sub` (email `<sub>@example.edu`). */
export function studentAuth(sub: string): Promise<{ Authorization: string }> {
  return authAs(sub, 'student');
}
