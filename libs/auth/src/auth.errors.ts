import { DomainError } from '@app/common';
import type { Role } from './auth-user';

/** No usable credentials: no token where one is needed, or a token that is not valid (401). */
export class Unauthenticated extends DomainError {
  constructor(code: 'UNAUTHENTICATED' | 'INVALID_TOKEN' | 'TOKEN_EXPIRED', message: string) {
    super(code, message);
  }
}

export class ForbiddenRole extends DomainError {
  constructor(roles: readonly Role[]) {
    super('FORBIDDEN_ROLE', `this route is for: ${roles.join(', ')}`);
  }
}

export class NotSelf extends DomainError {
  constructor() {
    super('NOT_SELF', 'only the student themself or an admin may see this');
  }
}

export class NotCourseInstructor extends DomainError {
  constructor() {
    super('NOT_COURSE_INSTRUCTOR', "only the course's instructor or an admin may do this");
  }
}
