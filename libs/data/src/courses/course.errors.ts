import { DomainError } from '@app/common';

export class CourseNotFound extends DomainError {
  constructor(courseId: string) {
    super('COURSE_NOT_FOUND', `course ${courseId} does not exist`);
  }
}

export class CourseExists extends DomainError {
  constructor(courseId: string) {
    super('COURSE_EXISTS', `course ${courseId} already exists`);
  }
}

export class CapacityBelowEnrolled extends DomainError {
  constructor(capacity: number, enrolled: number) {
    super(
      'CAPACITY_BELOW_ENROLLED',
      `capacity ${capacity} is below the ${enrolled} students already enrolled`,
    );
  }
}

export class CourseHasEnrollments extends DomainError {
  constructor(courseId: string) {
    super(
      'COURSE_HAS_ENROLLMENTS',
      `course ${courseId} still has enrolled students; drop them first`,
    );
  }
}

/**
 * Not an API error: a conditional update found another instructor than the caller expected (the
 * course was reassigned after the caller's permission was checked). The service decides what it means.
 */
export class InstructorChanged extends Error {
  constructor(readonly courseId: string) {
    super(`course ${courseId} is no longer taught by the expected instructor`);
  }
}

export class WaitlistBelowWaiting extends DomainError {
  constructor(capacity: number, waiting: number) {
    super(
      'WAITLIST_BELOW_WAITING',
      `waitlist_capacity ${capacity} is below the ${waiting} students already waiting`,
      { waitlist_capacity: capacity, waitlist_count: waiting },
    );
  }
}
