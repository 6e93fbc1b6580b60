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

export class NoOffer extends DomainError {
  constructor(courseId: string) {
    super('NO_OFFER', `no seat in ${courseId} is offered to you`);
  }
}

export class OfferExpired extends DomainError {
  constructor(courseId: string, expiresAt: string) {
    super('OFFER_EXPIRED', `the offer of a seat in ${courseId} expired at ${expiresAt}`, {
      offer_expires_at: expiresAt,
    });
  }
}
