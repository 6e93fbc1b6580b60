import type { SchemaObject } from '@nestjs/swagger';
import type { ErrorCode } from '../errors/error-codes';

/** The `message` shown in the documents' example of each code (the compiler wants one per code). */
export const ERROR_EXAMPLES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'capacity must not be greater than 1000; property color should not exist',
  MALFORMED_JSON: 'the request body is not valid JSON',
  INVALID_CURSOR: 'cursor is malformed or was not issued for this query',
  INVALID_IDEMPOTENCY_KEY: 'Idempotency-Key must be 8-128 letters, digits, "_", ".", ":" or "-"',
  EMPTY_UPDATE: 'send at least one of: priority_group, max_credits, completed_courses',
  CART_TOO_LARGE: 'a cart holds at most 10 adds and 10 drops',
  CART_ADD_AND_DROP: 'CS101-2026-FALL is both added and dropped',
  PAYLOAD_TOO_LARGE: 'the request body is larger than the limit',
  UNSUPPORTED_MEDIA_TYPE: 'unsupported charset "UTF-16"',
  UNAUTHENTICATED: 'this route needs an Authorization: Bearer <JWT> header',
  INVALID_TOKEN: 'the token is not valid',
  TOKEN_EXPIRED: 'the token has expired',
  FORBIDDEN_ROLE: 'this route is for: admin',
  FORBIDDEN_FIELD: 'only an admin may reassign a course to another instructor',
  NOT_COURSE_INSTRUCTOR: "only the course's instructor or an admin may do this",
  NOT_SELF: 'only the student themself or an admin may see this',
  COURSE_NOT_FOUND: 'course CS101-2026-FALL does not exist',
  COURSE_EXISTS: 'course CS101-2026-FALL already exists',
  CAPACITY_BELOW_ENROLLED: 'capacity 10 is below the 12 students already enrolled',
  COURSE_HAS_ENROLLMENTS: 'course CS101-2026-FALL still has enrolled students; drop them first',
  WAITLIST_BELOW_WAITING: 'waitlist_capacity 2 is below the 3 students already waiting',
  TERM_NOT_FOUND: 'no term 2026-FALL',
  USER_NOT_FOUND: 'no profile is stored for user s0001',
  NOT_ENROLLED: 'you are not enrolled in CS101-2026-FALL',
  COURSE_FULL: 'course CS101-2026-FALL has no seats left',
  ALREADY_ENROLLED: 'you are already enrolled in CS101-2026-FALL',
  ALREADY_WITHDRAWN: 'you have withdrawn from CS101-2026-FALL',
  ALREADY_WAITLISTED: 'you are already on the waitlist of CS101-2026-FALL',
  WAITLIST_FULL: 'the waitlist of CS101-2026-FALL is full',
  NO_OFFER: 'no seat in CS101-2026-FALL is offered to you',
  OFFER_EXPIRED: 'the offer of a seat in CS101-2026-FALL expired at 2026-08-03T09:00:00.000Z',
  WITHDRAW_DEADLINE_PASSED: 'the withdrawal deadline for CS101-2026-FALL was 2026-11-01T23:59:59Z',
  IDEMPOTENCY_IN_PROGRESS: 'a request with this Idempotency-Key is being processed; retry shortly',
  IDEMPOTENCY_KEY_REUSED:
    'this Idempotency-Key was already used for a different request; use a new key',
  CONCURRENT_UPDATE: 'your schedule kept changing while this cart was checked; retry',
  REGISTRATION_NOT_OPEN: 'registration opens at 2026-04-01T08:00:00Z',
  REGISTRATION_CLOSED: 'the add deadline has passed',
  HOLD: 'the student has an active hold',
  DUPLICATE_COURSE: 'already enrolled in another section of CS101',
  PREREQUISITE_MISSING: 'missing prerequisites: CS100',
  COREQUISITE_MISSING: 'missing corequisites: CS101L',
  TIME_CONFLICT: 'meets at the same time as MATH201-2026-FALL',
  CREDIT_LIMIT: '20 credits would exceed the limit of 18',
  HOLD_NOT_FOUND: 'no hold 01J0000000000000000000000 on this student',
  PERMIT_NOT_FOUND: 'no permit s0001~CS101-2026-FALL~CAPACITY',
  RATE_LIMITED: 'too many requests; retry after the Retry-After seconds',
  DEPENDENCY_UNAVAILABLE: 'a backing service did not answer in time; retry shortly',
  OVERLOADED: 'too many writes in progress; retry shortly',
};

/** Codes sent with a `Retry-After` header (the exception filter sets it from the error). */
export const RETRY_AFTER_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'IDEMPOTENCY_IN_PROGRESS',
  'RATE_LIMITED',
  'DEPENDENCY_UNAVAILABLE',
  'OVERLOADED',
]);

const str: SchemaObject = { type: 'string' };
const int: SchemaObject = { type: 'integer' };
const strings: SchemaObject = { type: 'array', items: str };
/** A registration rule's refusal carries the course and every broken rule (DESIGN §8). */
const rule = (details: Record<string, SchemaObject>): Record<string, SchemaObject> => ({
  course_id: str,
  ...details,
  violations: {
    type: 'array',
    description: 'every broken rule; the first is the one at the top level',
    items: {
      type: 'object',
      required: ['code', 'course_id', 'message'],
      properties: { code: str, course_id: str, message: str },
      additionalProperties: true,
    },
  },
});

/** The details a code adds beside `code` and `message` (DomainError's `details`), when it has any. */
export const ERROR_DETAILS: Partial<Record<ErrorCode, Record<string, SchemaObject>>> = {
  TERM_NOT_FOUND: { term_id: str },
  HOLD_NOT_FOUND: { hold_id: str },
  PERMIT_NOT_FOUND: { permit_id: str },
  WAITLIST_BELOW_WAITING: { waitlist_capacity: int, waitlist_count: int },
  WAITLIST_FULL: { waitlist_capacity: int },
  OFFER_EXPIRED: { offer_expires_at: str },
  // From the rules: whether the student may join the waitlist instead.
  COURSE_FULL: { waitlist_available: { type: 'boolean' }, waitlist_count: int },
  REGISTRATION_NOT_OPEN: rule({ opens_at: str }),
  REGISTRATION_CLOSED: rule({ add_deadline: str }),
  HOLD: rule({
    holds: {
      type: 'array',
      items: { type: 'object', properties: { hold_id: str, code: str, reason: str } },
    },
  }),
  DUPLICATE_COURSE: rule({ section: str }),
  PREREQUISITE_MISSING: rule({ missing: strings }),
  COREQUISITE_MISSING: rule({ missing: strings }),
  TIME_CONFLICT: rule({ conflicts_with: strings }),
  CREDIT_LIMIT: rule({ limit: int, attempted: int }),
};
