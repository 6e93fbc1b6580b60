import { Worker } from 'bullmq';

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
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled([...running]),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  const abandoned = running.size;
  await worker.close(abandoned > 0);
  return abandoned;
}
