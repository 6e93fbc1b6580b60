export const ROLES = ['student', 'instructor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The verified caller, as the guard attaches it to the request. */
export interface AuthUser {
  sub: string;
  role: Role;
  email?: string;
}
