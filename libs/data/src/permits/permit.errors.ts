import { DomainError } from '@app/common';

export class PermitNotFound extends DomainError {
  constructor(permitId: string) {
    super('PERMIT_NOT_FOUND', `no permit ${permitId}`, { permit_id: permitId });
  }
}
