/** ±10 % so that entries written together (e.g. after a deploy) do not all expire together. */
export function jitteredTtl(ttlMs: number, random: () => number = Math.random): number {
  return Math.max(1, Math.round(ttlMs * (0.9 + 0.2 * random())));
}
