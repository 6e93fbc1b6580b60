import { setTimeout as sleep } from 'node:timers/promises';

/** Full-jitter exponential backoff: sleeps 0..min(cap, base·2^attempt) ms. */
export function backoff(attempt: number, baseMs = 25, capMs = 2000): Promise<void> {
  return sleep(Math.random() * Math.min(capMs, baseMs * 2 ** attempt));
}
