import { DomainError } from '@app/common';

/** A course's own instructor may edit it but not hand it to someone else. */
export class ForbiddenReassignment extends DomainError {
  constructor() {
    super('FORBIDDEN_FIELD', 'only an admin may reassign a course to another instructor');
  }
}
