import { StreamableFile } from '@nestjs/common';
import { createHash } from 'node:crypto';

/** What is stored per entry: the status, the body's ETag and the JSON text exactly as it was sent. */
export interface CachedResponse {
  status: number;
  etag: string;
  body: string;
}

const ETAG = /^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/;

/**
 * The weak ETag Express gives the same text (its default `etag` setting): the byte length in hex
 * and the start of the SHA-1 in base64. A response served on the hit path and one served by Express
 * on a miss carry the same validator, so `If-None-Match` works whichever path answers.
 */
export function weakEtag(text: string): string {
  const hash = createHash('sha1').update(text, 'utf8').digest('base64').substring(0, 27);
  return `W/"${Buffer.byteLength(text, 'utf8').toString(16)}-${hash}"`;
}

export type NotCached = 'status' | 'not-json' | 'too-large';

/**
 * The value stored in Redis: the status, a newline, the ETag, a newline, then the JSON text as it
 * was sent. Reading it back is two slices, not a JSON parse: a hit costs no more than its bytes.
 */
export function encodeEntry(entry: CachedResponse): string {
  return `${entry.status}\n${entry.etag}\n${entry.body}`;
}

/** The entry a stored value holds, or undefined when it is not one (then it counts as a miss). */
export function decodeEntry(stored: string): CachedResponse | undefined {
  const first = stored.indexOf('\n');
  const second = stored.indexOf('\n', first + 1);
  const status = Number(stored.slice(0, first));
  if (first < 3 || second < 0 || !Number.isInteger(status) || status < 200 || status > 299)
    return undefined;
  const etag = stored.slice(first + 1, second);
  if (!ETAG.test(etag)) return undefined;
  return { status, etag, body: stored.slice(second + 1) };
}

/**
 * The response as it would go on the wire (Express serializes objects with JSON.stringify), or why
 * it is not cached: a non-2xx status, a body that Nest would not send as JSON (nothing, a string,
 * a stream, a Buffer), or one larger than the entry cap.
 */
export function toCachedResponse(
  status: number,
  body: unknown,
  maxEntryBytes: number,
): CachedResponse | NotCached {
  if (status < 200 || status >= 300) return 'status';
  if (
    body === null ||
    typeof body !== 'object' ||
    body instanceof StreamableFile ||
    Buffer.isBuffer(body)
  ) {
    return 'not-json';
  }
  let json: string;
  try {
    json = JSON.stringify(body);
  } catch {
    return 'not-json'; // circular, BigInt: Express would fail on it too
  }
  if (Buffer.byteLength(json) > maxEntryBytes) return 'too-large';
  return { status, etag: weakEtag(json), body: json };
}
