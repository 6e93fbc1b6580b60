import type { IncomingMessage, ServerResponse } from 'node:http';

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * Whether the JSON text nests objects and arrays deeper than `maxDepth`, found in one pass over the
 * raw UTF-8 bytes before anything parses or walks it. Brackets inside strings do not count. Safe on
 * bytes: in UTF-8 every byte of a multi-byte character is ≥ 0x80, so none looks like `{ [ " \`.
 * Malformed text is left for the parser to refuse.
 */
export function nestsDeeperThan(json: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > maxDepth) return true;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}

/** A body-parser error: the exception filter maps `type` to the API's error code. */
const parserError = (status: number, type: string, message: string) =>
  Object.assign(new Error(message), { status, type });

export const BODY_TOO_DEEP = 'entity.too.deep';

/**
 * Options of the JSON body parser: the size limit, UTF-8 only (RFC 8259 §8.1; the depth scan reads
 * bytes), and the nesting limit checked on the raw bytes in `verify`, which body-parser runs before
 * JSON.parse. class-transformer recurses once per level and overflows the stack on a 30 KB body of
 * brackets, so the limit must hold before any transformation.
 */
export function jsonBodyOptions(limit: string, maxDepth: number) {
  return {
    limit,
    verify: (_req: IncomingMessage, _res: ServerResponse, body: Buffer, encoding: string) => {
      if (encoding.toLowerCase() !== 'utf-8') {
        throw parserError(415, 'charset.unsupported', `JSON bodies must be UTF-8, not ${encoding}`);
      }
      if (nestsDeeperThan(body, maxDepth)) {
        throw parserError(
          400,
          BODY_TOO_DEEP,
          `the request body nests deeper than ${maxDepth} levels (the limit)`,
        );
      }
    },
  };
}
