import { DomainError } from '@app/common';

export class UserNotFound extends DomainError {
  constructor(userId: string) {
    super('USER_NOT_FOUND', `no profile is stored for user ${userId}`);
  }
}
