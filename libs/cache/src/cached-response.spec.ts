import { StreamableFile } from '@nestjs/common';
import { Readable } from 'node:stream';
import { decodeEntry, encodeEntry, toCachedResponse, weakEtag } from './cached-response';

describe('toCachedResponse', () => {
  it('keeps a 2xx JSON body as the text Express would send', () => {
    const text = '{"a":1,"d":"1970-01-01T00:00:00.000Z"}';
    expect(toCachedResponse(200, { a: 1, d: new Date(0) }, 1024)).toEqual({
      status: 200,
      etag: weakEtag(text),
      body: text,
    });
    expect(toCachedResponse(200, [1, 2], 1024)).toEqual({
      status: 200,
      etag: weakEtag('[1,2]'),
      body: '[1,2]',
    });
  });

  it('refuses non-2xx, non-JSON and oversized bodies', () => {
    expect(toCachedResponse(404, { a: 1 }, 1024)).toBe('status');
    expect(toCachedResponse(304, { a: 1 }, 1024)).toBe('status');
    expect(toCachedResponse(200, undefined, 1024)).toBe('not-json');
    expect(toCachedResponse(200, null, 1024)).toBe('not-json');
    expect(toCachedResponse(200, 'text', 1024)).toBe('not-json');
    expect(toCachedResponse(200, Buffer.from('x'), 1024)).toBe('not-json');
    expect(toCachedResponse(200, new StreamableFile(Readable.from(['x'])), 1024)).toBe('not-json');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(toCachedResponse(200, circular, 1024)).toBe('not-json');
    expect(toCachedResponse(200, { s: 'x'.repeat(2000) }, 1024)).toBe('too-large');
  });

  it('stores an entry as "status newline etag newline body" and reads it back unchanged', () => {
    const body = '{"a":"line\\nbreak","b":[1]}';
    const entry = { status: 201, etag: weakEtag(body), body };
    expect(encodeEntry(entry)).toBe(`201\n${entry.etag}\n${body}`);
    expect(decodeEntry(encodeEntry(entry))).toEqual(entry);
  });

  it('computes the ETag Express computes for the same text', () => {
    // The weak ETag of the `etag` package Express uses, for these exact bytes.
    expect(weakEtag('hello')).toBe('W/"5-qvTGHdzF6KLavt4PO0gs2a6pQ00"');
    expect(weakEtag('é')).toMatch(/^W\/"2-/); // the length is in bytes, not characters
  });

  it('treats a stored value that is not an entry as a miss', () => {
    expect(decodeEntry('')).toBeUndefined();
    expect(decodeEntry('{"status":200}')).toBeUndefined();
    expect(decodeEntry('abc\n{}')).toBeUndefined();
    expect(decodeEntry('404\nW/"2-qvTGHdzF6KLavt4PO0gs2a6pQ00"\n{}')).toBeUndefined();
    expect(decodeEntry('200\n{}')).toBeUndefined(); // the layout before ETags: a miss, reloaded
    expect(decodeEntry('200\nnot-an-etag\n{}')).toBeUndefined();
  });
});
