import { BadRequestException, HttpException } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { toErrorBody } from './all-exceptions.filter';

describe('toErrorBody', () => {
  it('renders domain errors with the status of their code and their details', () => {
    expect(
      toErrorBody(
        new DomainError('COURSE_FULL', 'no seats', { course_id: 'C1', waitlist_available: true }),
      ),
    ).toEqual({
      statusCode: 409,
      error: 'Conflict',
      code: 'COURSE_FULL',
      message: 'no seats',
      course_id: 'C1',
      waitlist_available: true,
    });
    expect(toErrorBody(new DomainError('IDEMPOTENCY_KEY_REUSED', 'x')).statusCode).toBe(422);
  });

  it('never lets details overwrite the error shape', () => {
    const body = toErrorBody(
      new DomainError('COURSE_FULL', 'no seats', { code: 'OTHER', statusCode: 200 }),
    );
    expect(body).toMatchObject({ statusCode: 409, code: 'COURSE_FULL' });
  });

  it('unwraps body-parser errors that Nest wrapped', () => {
    const parse = Object.assign(new SyntaxError('Unexpected end'), {
      type: 'entity.parse.failed',
      status: 400,
    });
    expect(toErrorBody(new BadRequestException('x', { cause: parse })).code).toBe('MALFORMED_JSON');
    const big = Object.assign(new Error('too large'), { type: 'entity.too.large', status: 413 });
    expect(toErrorBody(new HttpException('x', 413, { cause: big }))).toMatchObject({
      statusCode: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
  });

  it('answers 503 DEPENDENCY_UNAVAILABLE for timeouts and throttling of a backing service', () => {
    const timeout = Object.assign(new Error('Connection timed out after 3000 ms'), {
      name: 'TimeoutError',
    });
    expect(toErrorBody(timeout)).toMatchObject({ statusCode: 503, code: 'DEPENDENCY_UNAVAILABLE' });
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(toErrorBody(refused).statusCode).toBe(503);
  });

  it('hides anything else behind a generic 500', () => {
    expect(toErrorBody(new TypeError('cannot read x of undefined'))).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      code: 'INTERNAL_ERROR',
      message: 'an unexpected error occurred',
    });
  });
});
