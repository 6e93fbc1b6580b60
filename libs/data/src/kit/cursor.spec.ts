import { CursorCodec, CursorScope, InvalidCursor } from './cursor';

describe('CursorCodec', () => {
  const sut = new CursorCodec({ cursorSecret: 'a-test-secret-of-some-length' });
  const key = { course_id: 'CS101-2026-FALL', semester_id: '2026-FALL', dept_code: 'CS#CS101' };
  const scope = ['courses-by-semester', '2026-FALL', 'CS'] as const;

  const rejects = (cursor: string, s: CursorScope = scope) => {
    let thrown: unknown;
    try {
      sut.decode(cursor, s);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InvalidCursor);
    expect(thrown).toMatchObject({
      code: 'INVALID_CURSOR',
      message: 'cursor is malformed or was not issued for this query',
    });
  };

  it('round-trips a LastEvaluatedKey as an opaque URL-safe string', () => {
    const cursor = sut.encode(key, scope)!;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('CS101');
    expect(sut.decode(cursor, scope)).toEqual(key);
  });

  it('maps "no more pages" to null and "first page" to undefined', () => {
    expect(sut.encode(undefined, scope)).toBeNull();
    expect(sut.decode(undefined, scope)).toBeUndefined();
  });

  it('rejects a cursor issued for another query', () => {
    rejects(sut.encode(key, scope)!, ['courses-by-semester', '2026-FALL', 'MATH']);
    rejects(sut.encode(key, scope)!, ['courses-by-instructor', 'i0001', null]);
  });

  it('keeps scopes apart whatever separators their values contain', () => {
    // Ids may contain ":"; a ":"-joined scope made these two queries one.
    const cursor = sut.encode(key, ['courses-by-semester', 'RPC:A', 'B'])!;
    rejects(cursor, ['courses-by-semester', 'RPC', 'A:B']);
    rejects(sut.encode(key, ['courses-by-semester', 'X', null])!, [
      'courses-by-semester',
      'X',
      'null',
    ]);
  });

  it('rejects a cursor signed with another secret', () => {
    rejects(new CursorCodec({ cursorSecret: 'another-secret-entirely' }).encode(key, scope)!);
  });

  it('rejects an edited body or signature', () => {
    const [body, mac] = sut.encode(key, scope)!.split('.');
    const edited = Buffer.from(JSON.stringify({ ...key, course_id: 'CS999-2026-FALL' })).toString(
      'base64url',
    );
    rejects(`${edited}.${mac}`);
    rejects(`${body}.${mac.slice(0, -2)}`);
    rejects(`${body}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`);
  });

  it.each(['', '.', 'abc', 'a.b.c', '%%%.%%%', `${'x'.repeat(5000)}.y`])(
    'rejects the malformed cursor %p',
    (cursor) => {
      rejects(cursor);
    },
  );

  it('rejects a correctly signed body that is not a key object', () => {
    // Only reachable with the secret, but decode must still never hand a non-object to DynamoDB.
    const forge = (json: string) => {
      const body = Buffer.from(json).toString('base64url');
      const mac = (sut as unknown as { sign: (b: string, s: CursorScope) => string }).sign(
        body,
        scope,
      );
      return `${body}.${mac}`;
    };
    for (const json of ['[1,2]', 'null', '"x"', '{not json']) rejects(forge(json));
  });
});
