import { DomainError } from '@app/common';

export class EmptyUpdate extends DomainError {
  constructor(fields: readonly string[]) {
    super('EMPTY_UPDATE', `send at least one of: ${fields.join(', ')}`);
  }
}

/** A course's own instructor may edit it but not hand it to someone else. */
export class ForbiddenReassignment extends DomainError {
  constructor() {
    super('FORBIDDEN_FIELD', 'only an admin may reassign a course to another instructor');
  }
}
