import { DomainError } from '@app/common';

export class WaitlistFull extends DomainError {
  constructor(courseId: string, waitlistCapacity: number) {
    super('WAITLIST_FULL', `the waitlist of ${courseId} is full`, {
      waitlist_capacity: waitlistCapacity,
    });
  }
}

export class AlreadyWaitlisted extends DomainError {
  constructor(courseId: string) {
    super('ALREADY_WAITLISTED', `you are already on the waitlist of ${courseId}`);
  }
}
