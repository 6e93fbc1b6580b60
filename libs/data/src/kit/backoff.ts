import { setTimeout as sleep } from 'node:timers/promises';

/** Full-jitter exponential backoff: 0..base·2^attempt ms, capped. */
export function backoff(attempt: number, baseMs = 25, capMs = 2000): Promise<void> {
  return sleep(Math.random() * Math.min(capMs, baseMs * 2 ** attempt));
}
