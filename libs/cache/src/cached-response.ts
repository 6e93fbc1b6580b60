import { StreamableFile } from '@nestjs/common';

/** What is stored per entry: the status and the JSON text exactly as it was sent. */
export interface CachedResponse {
  status: number;
  body: string;
}

export type NotCached = 'status' | 'not-json' | 'too-large';

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
