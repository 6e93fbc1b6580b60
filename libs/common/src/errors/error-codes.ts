/**
 * Every error code the API answers with, and its HTTP status: the one place a status is chosen.
 * A DomainError's code must be one of these (checked by the compiler), so a new rule cannot ship
 * without deciding how it reaches the caller.
 */
export const ERROR_STATUS = {
  // The request itself
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  INVALID_CURSOR: 400,
  INVALID_IDEMPOTENCY_KEY: 400,
  EMPTY_UPDATE: 400,
  CART_TOO_LARGE: 400,
  CART_ADD_AND_DROP: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  // Who is asking
  UNAUTHENTICATED: 401,
  INVALID_TOKEN: 401,
  TOKEN_EXPIRED: 401,
  FORBIDDEN_ROLE: 403,
  FORBIDDEN_FIELD: 403,
  NOT_COURSE_INSTRUCTOR: 403,
  NOT_SELF: 403,
  // The catalog
  COURSE_NOT_FOUND: 404,
  COURSE_EXISTS: 409,
  CAPACITY_BELOW_ENROLLED: 409,
  COURSE_HAS_ENROLLMENTS: 409,
  WAITLIST_BELOW_WAITING: 409,
  TERM_NOT_FOUND: 404,
  // Registration
  USER_NOT_FOUND: 404,
  NOT_ENROLLED: 404,
  COURSE_FULL: 409,
  ALREADY_ENROLLED: 409,
  ALREADY_WITHDRAWN: 409,
  WITHDRAW_DEADLINE_PASSED: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  // Registration rules (DESIGN §8): the request is understood and refused; COURSE_FULL stays 409.
  REGISTRATION_NOT_OPEN: 422,
  REGISTRATION_CLOSED: 422,
  HOLD: 422,
  DUPLICATE_COURSE: 422,
  PREREQUISITE_MISSING: 422,
  COREQUISITE_MISSING: 422,
  TIME_CONFLICT: 422,
  CREDIT_LIMIT: 422,
  HOLD_NOT_FOUND: 404,
  PERMIT_NOT_FOUND: 404,
  RATE_LIMITED: 429,
  // Backing services
  DEPENDENCY_UNAVAILABLE: 503,
  OVERLOADED: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;
