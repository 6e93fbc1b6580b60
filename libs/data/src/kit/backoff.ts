import { setTimeout as sleep } from 'node:timers/promises';

/** Full jitter: a delay drawn from 0..min(cap, base·2^attempt) ms. */
export function fullJitterDelay(
  attempt: number,
  baseMs = 25,
  capMs = 2000,
  random = Math.random,
): number {
  return random() * Math.min(capMs, baseMs * 2 ** attempt);
}

/** Sleeps a full-jitter exponential backoff. */
export function backoff(attempt: number, baseMs = 25, capMs = 2000): Promise<void> {
  return sleep(fullJitterDelay(attempt, baseMs, capMs));
}
