import { Controller, Get, Post } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
import type { ResponseObject } from '@nestjs/swagger';
import { ApiErrors, byStatus, documentedCodes, errorResponse } from './api-errors.decorator';

interface Entry {
  description: string;
  headers?: ResponseObject['headers'];
  schema: { properties: { code: { enum: string[] }; statusCode: { enum: number[] } } };
  examples: Record<string, { value: { code: string; statusCode: number; message: string } }>;
}
const responsesOf = (handler: unknown) =>
  Reflect.getMetadata(DECORATORS.API_RESPONSE, handler as object) as Record<string, Entry>;

describe('ApiErrors', () => {
  @ApiErrors('FORBIDDEN_ROLE')
  @Controller()
  class Sut {
    @Get()
    @ApiErrors('COURSE_NOT_FOUND', 'NOT_COURSE_INSTRUCTOR')
    @ApiErrors('COURSE_FULL', 'IDEMPOTENCY_IN_PROGRESS')
    read(): void {}

    @Post()
    write(): void {}

    /** Not a route: left alone. */
    helper(): void {}
  }

  it('declares one response per status, its code an enum of the codes of that status', () => {
    const responses = responsesOf(Sut.prototype.read);
    expect(Object.keys(responses).sort()).toEqual(['403', '404', '409']);
    expect(responses['403'].schema.properties.code.enum).toEqual([
      'FORBIDDEN_ROLE',
      'NOT_COURSE_INSTRUCTOR',
    ]);
    expect(responses['403'].schema.properties.statusCode.enum).toEqual([403]);
    expect(responses['404'].schema.properties.code.enum).toEqual(['COURSE_NOT_FOUND']);
    expect(responses['409'].description).toBe('Conflict: COURSE_FULL, IDEMPOTENCY_IN_PROGRESS');
  });

  it('gives an example of every code, and Retry-After where the code sends it', () => {
    const conflict = responsesOf(Sut.prototype.read)['409'];
    expect(Object.keys(conflict.examples)).toEqual(['COURSE_FULL', 'IDEMPOTENCY_IN_PROGRESS']);
    expect(conflict.examples.COURSE_FULL.value).toMatchObject({
      statusCode: 409,
      code: 'COURSE_FULL',
    });
    expect(conflict.headers).toHaveProperty('Retry-After');
    expect(responsesOf(Sut.prototype.read)['404'].headers).toBeUndefined();
  });

  it("applies a controller's codes to each of its routes only", () => {
    expect(documentedCodes(Sut.prototype.write)).toEqual(['FORBIDDEN_ROLE']);
    expect(responsesOf(Sut.prototype.helper)).toBeUndefined();
  });
});

describe('byStatus', () => {
  it('groups codes by their ERROR_STATUS status, statuses ascending, codes in table order', () => {
    expect([
      ...byStatus(['OVERLOADED', 'INVALID_CURSOR', 'VALIDATION_FAILED', 'TIME_CONFLICT']),
    ]).toEqual([
      [400, ['VALIDATION_FAILED', 'INVALID_CURSOR']],
      [422, ['TIME_CONFLICT']],
      [503, ['OVERLOADED']],
    ]);
  });
});

describe('errorResponse', () => {
  it('has the error body schema and an example that fits it', () => {
    const res = errorResponse(404, ['TERM_NOT_FOUND']);
    const json = res.content!['application/json'];
    expect(json.schema).toMatchObject({
      required: ['statusCode', 'error', 'code', 'message'],
      properties: { code: { enum: ['TERM_NOT_FOUND'] } },
    });
    expect(json.examples!.TERM_NOT_FOUND).toEqual({
      value: {
        statusCode: 404,
        error: 'Not Found',
        code: 'TERM_NOT_FOUND',
        message: 'no term 2026-FALL',
      },
    });
  });

  it('adds the details its codes send beside code and message', () => {
    const schema = errorResponse(422, ['CREDIT_LIMIT']).content!['application/json'].schema;
    expect(Object.keys((schema as { properties: object }).properties)).toEqual(
      expect.arrayContaining(['course_id', 'limit', 'attempted', 'violations']),
    );
  });
});
