// Importing the libraries must not change the process: config is registered by the apps, not on import.
describe('importing the libraries', () => {
  it('writes nothing into process.env', async () => {
    const before = { ...process.env };
    await import('@app/common');
    await import('@app/data');
    await import('@app/auth');
    await import('@app/cache');
    await import('@app/messaging');
    await import('@app/baselines');
    expect(process.env).toEqual(before);
  });
});
