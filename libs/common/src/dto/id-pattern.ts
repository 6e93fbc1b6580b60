import { applyDecorators } from '@nestjs/common';
import { Matches } from 'class-validator';

// Identifiers are client-chosen strings that become DynamoDB keys: keep them to a safe alphabet.
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** Validates an identifier field: 1-64 letters, digits, "_", ".", ":" or "-". */
export const IsId = () =>
  applyDecorators(
    Matches(ID_PATTERN, {
      message:
        '$property must be 1-64 letters, digits, "_", ".", ":" or "-", starting with a letter or digit',
    }),
  );

/** A course code (`CS101`): 1-16 letters, digits or "-". */
export const COURSE_CODE_PATTERN = /^[A-Za-z0-9-]{1,16}$/;
