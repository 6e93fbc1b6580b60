import { StreamableFile } from '@nestjs/common';

/** What is stored per entry: the status and the JSON text exactly as it was sent. */
export interface CachedResponse {
  status: number;
  body: string;
}

export type NotCached = 'status' | 'not-json' | 'too-large';

/**
 * The value stored in Redis: the status, a newline, then the JSON text as it was sent. Reading it back
 * is a slice, not a JSON parse: a hit costs no more than the bytes it returns.
 */
export function encodeEntry(entry: CachedResponse): string {
  return `${entry.status}\n${entry.body}`;
}

/** The entry a stored value holds, or undefined when it is not one (then it counts as a miss). */
export function decodeEntry(stored: string): CachedResponse | undefined {
  const newline = stored.indexOf('\n');
  const status = Number(stored.slice(0, newline));
  if (newline < 3 || !Number.isInteger(status) || status < 200 || status > 299) return undefined;
  return { status, body: stored.slice(newline + 1) };
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
  return { status, body: json };
}
