/** Nearest-rank percentile of an ascending-sorted sample (q in (0, 1]); 0 for an empty sample. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Collects response times (ms) without per-sample allocation. */
export class LatencyRecorder {
  private data = new Float64Array(1 << 16);
  private n = 0;

  record(ms: number): void {
    if (this.n === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.n++] = ms;
  }

  /** Timed-out requests never answered: they count at the timeout, a lower bound of their latency. */
  recordCensored(count: number, timeoutMs: number): void {
    for (let i = 0; i < count; i++) this.record(timeoutMs);
  }

  get count(): number {
    return this.n;
  }

  summary(): { p50: number; p95: number; p99: number; mean: number } {
    const sorted = this.data.slice(0, this.n).sort();
    let sum = 0;
    for (const v of sorted) sum += v;
    return {
      p50: percentile(sorted, 0.5),
      p95: percentile(sorted, 0.95),
      p99: percentile(sorted, 0.99),
      mean: this.n ? sum / this.n : 0,
    };
  }
}

/** Rounds for the JSON: 3 significant decimals is plenty for ms and req/s. */
export const round = (x: number, digits = 3): number =>
  Number.isFinite(x) ? Number(x.toFixed(digits)) : x;
