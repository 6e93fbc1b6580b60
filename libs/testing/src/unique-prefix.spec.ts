import { uniquePrefix } from './unique-prefix';

describe('uniquePrefix', () => {
  it('is safe in table names and Redis keys, and differs between calls', () => {
    const a = uniquePrefix('Outbox: relay/retry');
    const b = uniquePrefix('Outbox: relay/retry');
    expect(a).toMatch(/^t_outbox_relay_retry_\d+[0-9a-f]{6}$/);
    expect(a).not.toBe(b);
  });

  it('keeps at most 24 characters of the label', () => {
    expect(uniquePrefix('a'.repeat(40))).toMatch(/^t_a{24}_\d+[0-9a-f]{6}$/);
  });

  it('falls back to "test" for a label with nothing usable', () => {
    expect(uniquePrefix('***')).toMatch(/^t_test_/);
  });
});
