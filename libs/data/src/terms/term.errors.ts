import { DomainError } from '@app/common';

export class TermNotFound extends DomainError {
  constructor(termId: string) {
    super('TERM_NOT_FOUND', `no term ${termId}`, { term_id: termId });
  }
}
