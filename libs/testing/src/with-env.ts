type EnvVars = Record<string, string | undefined>;

/**
 * Sets environment variables (undefined deletes one) for an app under test.
 * Without `fn` it returns the function that restores the previous values (e.g. `afterAll(withEnv({...}))`);
 * with `fn` it runs it and restores afterwards, even when it throws.
 */
export function withEnv(vars: EnvVars): () => void;
export function withEnv<T>(vars: EnvVars, fn: () => T | Promise<T>): Promise<T>;
export function withEnv<T>(vars: EnvVars, fn?: () => T | Promise<T>): (() => void) | Promise<T> {
  const previous: EnvVars = {};
  for (const [name, value] of Object.entries(vars)) {
    previous[name] = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  const restore = () => {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  if (!fn) return restore;
  return (async () => {
    try {
      return await fn();
    } finally {
      restore();
    }
  })();
}
