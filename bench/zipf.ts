/** Deterministic PRNG (mulberry32): the same seed gives the same request mix on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Zipf-distributed ranks over n items: P(rank k) ∝ 1 / (k+1)^s, k = 0..n-1.
 * The CDF is built once (O(n)); each draw is a binary search (O(log n)).
 */
export class ZipfSampler {
  private readonly cdf: Float64Array;

  constructor(
    readonly n: number,
    readonly s = 1,
    private readonly random: () => number = Math.random,
  ) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`ZipfSampler needs n ≥ 1, got ${n}`);
    if (!(s >= 0)) throw new Error(`ZipfSampler needs s ≥ 0, got ${s}`);
    this.cdf = new Float64Array(n);
    let sum = 0;
    for (let k = 0; k < n; k++) {
      sum += 1 / Math.pow(k + 1, s);
      this.cdf[k] = sum;
    }
    for (let k = 0; k < n; k++) this.cdf[k] /= sum;
    this.cdf[n - 1] = 1;
  }

  /** Probability of rank k (for tests and the report). */
  probability(k: number): number {
    return k === 0 ? this.cdf[0] : this.cdf[k] - this.cdf[k - 1];
  }

  /** A rank in [0, n): 0 is the most popular. */
  next(): number {
    const u = this.random();
    let lo = 0;
    let hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Fisher-Yates with the given PRNG: a seeded popularity order, so rank 0 is not always the first id. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Draws items with Zipf popularity over a seeded shuffle of `items`. */
export function zipfPicker<T>(
  items: readonly T[],
  s: number,
  seed: number,
): { next(): T; ranked: readonly T[] } {
  const random = mulberry32(seed);
  const ranked = shuffled(items, random);
  const sampler = new ZipfSampler(ranked.length, s, random);
  return { next: () => ranked[sampler.next()], ranked };
}
