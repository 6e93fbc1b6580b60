import { canonicalJson, entryKey, EntryKeyParts, tagKey } from './cache-keys';

const base: EntryKeyParts = {
  prefix: 'p',
  name: 'courses',
  scope: 'public',
  vary: { params: { id: 'c1' }, query: { a: '1', b: '2' } },
  tagVersions: [['course:c1', '7']],
};

describe('cache keys', () => {
  it('ignores the order of query parameters', () => {
    expect(canonicalJson({ b: '2', a: '1' })).toBe(canonicalJson({ a: '1', b: '2' }));
    const swapped = entryKey({
      ...base,
      vary: { params: { id: 'c1' }, query: { b: '2', a: '1' } },
    });
    expect(swapped).toBe(entryKey(base));
  });

  it('drops undefined values and keeps the order of repeated parameters', () => {
    expect(canonicalJson({ a: '1', z: undefined })).toBe(canonicalJson({ a: '1' }));
    expect(canonicalJson({ d: ['x', 'y'] })).not.toBe(canonicalJson({ d: ['y', 'x'] }));
    expect(canonicalJson({ d: ['x', undefined] })).toBe('{"d":["x",null]}');
  });

  it('gives different keys to different params, queries, names and tag versions', () => {
    const key = entryKey(base);
    expect(
      entryKey({ ...base, vary: { params: { id: 'c2' }, query: { a: '1', b: '2' } } }),
    ).not.toBe(key);
    expect(entryKey({ ...base, vary: { params: { id: 'c1' }, query: { a: '1' } } })).not.toBe(key);
    expect(entryKey({ ...base, name: 'other' })).not.toBe(key);
    expect(entryKey({ ...base, tagVersions: [['course:c1', '8']] })).not.toBe(key);
  });

  it('cannot be confused by separators inside values', () => {
    const a = entryKey({ ...base, vary: { query: { a: '1&b=2' } } });
    const b = entryKey({ ...base, vary: { query: { a: '1', b: '2' } } });
    expect(a).not.toBe(b);
  });

  it('always puts the user in a per-user key', () => {
    const alice = entryKey({ ...base, scope: 'user', userId: 'alice' });
    const bob = entryKey({ ...base, scope: 'user', userId: 'bob' });
    expect(alice).not.toBeNull();
    expect(alice).not.toBe(bob);
    expect(alice).not.toBe(entryKey(base));
  });

  it('builds no key for a per-user entry without a user', () => {
    expect(entryKey({ ...base, scope: 'user' })).toBeNull();
    expect(entryKey({ ...base, scope: 'user', userId: '' })).toBeNull();
  });

  it('keeps keys short whatever the input', () => {
    const key = entryKey({ ...base, vary: { query: { q: 'x'.repeat(10_000) } } })!;
    expect(key.startsWith('p:e:courses:')).toBe(true);
    expect(key.length).toBeLessThan(60);
    expect(tagKey('p', 'course:c1')).toBe('p:tag:course:c1');
    expect(tagKey('p', 'x'.repeat(500)).length).toBeLessThan(40);
  });
});
