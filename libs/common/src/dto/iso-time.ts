import { applyDecorators } from '@nestjs/common';
import { IsISO8601, Matches } from 'class-validator';

/**
 * An ISO-8601 date and time in the extended form with a zone (`2026-08-01T09:00:00Z`): the basic
 * form (`20260801T090000Z`) is ISO too, but not what the API shows, and Date.parse refuses it.
 */
const EXTENDED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
export const IsIsoTime = () =>
  applyDecorators(
    IsISO8601({ strict: true, strictSeparator: true }),
    Matches(EXTENDED_TIME, {
      message: '$property must be a date and time like 2026-08-01T09:00:00Z, with a zone',
    }),
  );
