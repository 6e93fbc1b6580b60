/**
 * Concurrent calls for one key share one load (the first caller is the leader). The entry is removed
 * when the load settles, so an error reaches every waiter and is never remembered.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  run(key: string, load: () => Promise<T>): { promise: Promise<T>; leader: boolean } {
    const existing = this.inFlight.get(key);
    if (existing) return { promise: existing, leader: false };
    const promise = Promise.resolve()
      .then(load)
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return { promise, leader: true };
  }

  get size(): number {
    return this.inFlight.size;
  }
}
