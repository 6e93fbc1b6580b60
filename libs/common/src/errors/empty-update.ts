import { DomainError } from './domain-error';

/** A PATCH that names no field to change. */
export class EmptyUpdate extends DomainError {
  constructor(fields: readonly string[]) {
    super('EMPTY_UPDATE', `send at least one of: ${fields.join(', ')}`);
  }
}
