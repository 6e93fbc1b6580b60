/** Polls until `check` holds or the deadline passes; resolves either way so the caller asserts what it sees. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check()) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
}
