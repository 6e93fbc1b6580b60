/**
 * Concurrent calls for one key share one load (the first caller is the leader). An error reaches
 * every waiter and is forgotten at once. A success may stay claimed for `lingerMs`, so callers whose
 * cache read raced the leader's (fire-and-forget) write still join it instead of loading again.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  constructor(private readonly lingerMs = 0) {}

  run(key: string, load: () => Promise<T>): { promise: Promise<T>; leader: boolean } {
    const existing = this.inFlight.get(key);
    if (existing) return { promise: existing, leader: false };
    // Through then(): a load that throws synchronously still becomes a rejection the waiters see.
    const promise = Promise.resolve().then(load);
    this.inFlight.set(key, promise);
    const release = () => {
      if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
    };
    promise.then(
      () => (this.lingerMs > 0 ? setTimeout(release, this.lingerMs).unref() : release()),
      release,
    );
    return { promise, leader: true };
  }

  /** Keys currently claimed. */
  get size(): number {
    return this.inFlight.size;
  }
}
