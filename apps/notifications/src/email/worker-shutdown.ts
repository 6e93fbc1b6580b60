import { Worker } from 'bullmq';
import { waitAtMost } from '@app/common';

/**
 * Stops a worker within a deadline. worker.close() waits for running jobs with no timeout of its own,
 * so: stop fetching, wait for the running jobs up to the deadline, then close — forcibly if some are
 * still running. Those keep their lock until it expires and are then redelivered as stalled.
 * Returns the number of jobs abandoned.
 */
export async function closeWorkerWithin(
  worker: Worker,
  running: ReadonlySet<Promise<unknown>>,
  timeoutMs: number,
): Promise<number> {
  await worker.pause(true);
  await waitAtMost(Promise.allSettled([...running]), timeoutMs);
  const abandoned = running.size;
  await worker.close(abandoned > 0);
  return abandoned;
}
