import { L1Store } from './l1-store';

const entry = (body: string) => ({ status: 200, etag: 'W/"1-x"', body });

describe('L1Store', () => {
  it.each([
    { maxBytes: 64 * 1024, keys: 10_000, bodyBytes: 100 },
    { maxBytes: 64 * 1024, keys: 2_000, bodyBytes: 5_000 },
    { maxBytes: 1024 * 1024, keys: 50_000, bodyBytes: 300 },
  ])(
    'stays within $maxBytes bytes under $keys keys of $bodyBytes-byte bodies',
    ({ maxBytes, keys, bodyBytes }) => {
      let evictions = 0;
      const sut = new L1Store({ maxBytes, ttlMs: 1000, onEvict: () => evictions++ });
      for (let i = 0; i < keys; i++) {
        sut.setEntry(`k${i}`, entry('x'.repeat(bodyBytes)), [`tag:${i % 97}`], sut.generation);
        sut.setTagVersion(`tag:${i}`, String(i), sut.generation);
        expect(sut.bytes).toBeLessThanOrEqual(maxBytes);
      }
      expect(evictions).toBeGreaterThan(0);
      // The most recent ones are still there.
      expect(sut.entry(`k${keys - 1}`)?.body).toHaveLength(bodyBytes);
      expect(sut.tagVersion(`tag:${keys - 1}`)).toBe(String(keys - 1));
    },
  );

  it('refuses an item larger than the whole bound', () => {
    const sut = new L1Store({ maxBytes: 1024, ttlMs: 1000 });
    sut.setEntry('big', entry('x'.repeat(4096)), [], sut.generation);
    expect(sut.entry('big')).toBeUndefined();
    expect(sut.bytes).toBe(0);
  });

  it('drops a tag with its version and every entry built on it, and nothing else', () => {
    const sut = new L1Store({ maxBytes: 1024 * 1024, ttlMs: 1000 });
    sut.setTagVersion('course:1', '10', sut.generation);
    sut.setTagVersion('course:2', '20', sut.generation);
    sut.setEntry('a', entry('a'), ['course:1'], sut.generation);
    sut.setEntry('b', entry('b'), ['course:1', 'course:2'], sut.generation);
    sut.setEntry('c', entry('c'), ['course:2'], sut.generation);

    sut.drop(['course:1']);

    expect(sut.tagVersion('course:1')).toBeUndefined();
    expect(sut.entry('a')).toBeUndefined();
    expect(sut.entry('b')).toBeUndefined();
    expect(sut.tagVersion('course:2')).toBe('20');
    expect(sut.entry('c')?.body).toBe('c');
  });

  it('ignores what a read that a drop overtook would store', () => {
    const sut = new L1Store({ maxBytes: 1024 * 1024, ttlMs: 1000 });
    const before = sut.generation;
    sut.drop(['course:1']); // a bus message arrives while the read is out
    sut.setTagVersion('course:1', 'old', before);
    sut.setEntry('a', entry('old'), ['course:1'], before);
    expect(sut.tagVersion('course:1')).toBeUndefined();
    expect(sut.entry('a')).toBeUndefined();
  });

  it('serves nothing older than its TTL', () => {
    let now = 1_000;
    const sut = new L1Store({ maxBytes: 1024 * 1024, ttlMs: 500, now: () => now });
    sut.setTagVersion('course:1', '10', sut.generation);
    sut.setEntry('a', entry('a'), ['course:1'], sut.generation);
    now += 499;
    expect(sut.tagVersion('course:1')).toBe('10');
    expect(sut.entry('a')?.body).toBe('a');
    now += 2;
    expect(sut.tagVersion('course:1')).toBeUndefined();
    expect(sut.entry('a')).toBeUndefined();
  });

  it('keeps fragments apart from entries, and drops them with their tag', () => {
    const sut = new L1Store({ maxBytes: 1024 * 1024, ttlMs: 1000 });
    sut.setFragment('k', ',"seats":1', ['seats:1'], sut.generation);
    sut.setEntry('k', entry('page'), ['semester:1'], sut.generation);
    sut.setFragment('k2', ',"seats":2', ['seats:2'], sut.generation);
    expect(sut.fragment('k')).toBe(',"seats":1');
    expect(sut.entry('k')?.body).toBe('page');
    sut.drop(['seats:1']);
    expect(sut.fragment('k')).toBeUndefined();
    expect(sut.entry('k')?.body).toBe('page');
    expect(sut.fragment('k2')).toBe(',"seats":2');
    const stale = sut.generation;
    sut.drop(['seats:2']);
    sut.setFragment('k2', ',"seats":2', ['seats:2'], stale);
    expect(sut.fragment('k2')).toBeUndefined();
  });
});
