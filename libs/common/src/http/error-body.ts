import { STATUS_CODES } from 'node:http';

/**
 * The JSON shape of every error the API returns. `code` is stable; `message` is for humans; a
 * domain error adds its structured details beside them (`course_id`, `violations`, …).
 */
export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  [detail: string]: unknown;
}

export function errorBody(statusCode: number, code: string, message: string): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', code, message };
}
