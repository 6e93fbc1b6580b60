import { DomainError } from '@app/common';

export class UserNotFound extends DomainError {
  constructor(userId: string) {
    super('USER_NOT_FOUND', `no profile is stored for user ${userId}`);
  }
}

export class HoldNotFound extends DomainError {
  constructor(holdId: string) {
    super('HOLD_NOT_FOUND', `no hold ${holdId} on this student`, { hold_id: holdId });
  }
}
