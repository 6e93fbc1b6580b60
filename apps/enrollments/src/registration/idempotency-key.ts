import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { DomainError } from '@app/common';

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,128}$/;

export class InvalidIdempotencyKey extends DomainError {
  constructor() {
    super(
      'INVALID_IDEMPOTENCY_KEY',
      'Idempotency-Key must be 8-128 letters, digits, "_", ".", ":" or "-"',
    );
  }
}

/** The optional `Idempotency-Key` header, validated: 8-128 URL-safe characters (a UUID fits). */
export const IdempotencyKey = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): string | undefined => {
    const value = ctx.switchToHttp().getRequest().headers['idempotency-key'];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !KEY_PATTERN.test(value)) {
      throw new InvalidIdempotencyKey();
    }
    return value;
  },
);
