import { DomainError } from '@app/common';

export class CourseFull extends DomainError {
  /** `waitlist` (when known): whether the student may join its waitlist instead (DESIGN §8). */
  constructor(
    courseId: string,
    waitlist?: { waitlist_available: boolean; waitlist_count: number },
  ) {
    super('COURSE_FULL', `course ${courseId} has no seats left`, waitlist ?? {});
  }
}

export class AlreadyEnrolled extends DomainError {
  constructor(courseId: string) {
    super('ALREADY_ENROLLED', `you are already enrolled in ${courseId}`);
  }
}

export class NotEnrolled extends DomainError {
  constructor(courseId: string) {
    super('NOT_ENROLLED', `you are not enrolled in ${courseId}`);
  }
}

export class IdempotencyKeyReused extends DomainError {
  constructor() {
    super(
      'IDEMPOTENCY_KEY_REUSED',
      'this Idempotency-Key was already used for a different request; use a new key',
    );
  }
}

/** The key's record was claimed by another transaction whose answer cannot be read (yet). */
export class IdempotencyInProgress extends DomainError {
  constructor() {
    super(
      'IDEMPOTENCY_IN_PROGRESS',
      'a request with this Idempotency-Key is being processed; retry shortly',
      {},
      1,
    );
  }
}

/** The row is a W already: it cannot be withdrawn again, nor the section added again this term. */
export class AlreadyWithdrawn extends DomainError {
  constructor(courseId: string) {
    super('ALREADY_WITHDRAWN', `you have withdrawn from ${courseId}`);
  }
}

export class WithdrawDeadlinePassed extends DomainError {
  constructor(courseId: string, withdrawDeadline: string) {
    super(
      'WITHDRAW_DEADLINE_PASSED',
      `the withdrawal deadline for ${courseId} was ${withdrawDeadline}`,
      { withdraw_deadline: withdrawDeadline },
    );
  }
}

/**
 * The student's schedule item changed since the enroll's snapshot read its version (another enroll,
 * a cart, a drop): not a domain error, the caller re-validates (DESIGN §8).
 */
export class ScheduleChanged extends Error {
  constructor() {
    super("the student's schedule changed since it was checked");
    this.name = 'ScheduleChanged';
  }
}
