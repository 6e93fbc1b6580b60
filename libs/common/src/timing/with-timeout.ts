export const TIMED_OUT = Symbol('timed out');

/** Waits for `p` at most `ms`: its value, or TIMED_OUT when the deadline came first. The timer never outlives the race. */
export async function waitAtMost<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([p, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Rejects when `p` has not settled within `ms`, naming `what`. */
export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  const result = await waitAtMost(p, ms);
  if (result === TIMED_OUT) throw new Error(`${what} did not answer within ${ms} ms`);
  return result;
}
