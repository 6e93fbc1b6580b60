/** Everything the harness started, undone in reverse order on success, failure and Ctrl-C. */
export class Cleanup {
  private readonly steps: { name: string; fn: () => Promise<unknown> | unknown }[] = [];
  private running: Promise<void> | undefined;

  /** Registers an undo step; returns a function that runs it now (once) and unregisters it. */
  add(name: string, fn: () => Promise<unknown> | unknown): () => Promise<void> {
    const step = { name, fn };
    this.steps.push(step);
    return async () => {
      const i = this.steps.indexOf(step);
      if (i < 0) return;
      this.steps.splice(i, 1);
      await fn();
    };
  }

  /** Runs every remaining step, last registered first; a failing step is reported and the rest still run. */
  run(log: (line: string) => void, stepTimeoutMs = 30_000): Promise<void> {
    this.running ??= (async () => {
      while (this.steps.length > 0) {
        const step = this.steps.pop()!;
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            Promise.resolve().then(step.fn),
            new Promise((_, reject) => {
              timer = setTimeout(
                () => reject(new Error(`timed out after ${stepTimeoutMs / 1000} s`)),
                stepTimeoutMs,
              );
            }),
          ]);
        } catch (err) {
          log(`cleanup: ${step.name} failed: ${(err as Error).message}`);
        } finally {
          clearTimeout(timer);
        }
      }
    })();
    return this.running;
  }
}
