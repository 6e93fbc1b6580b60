import type autocannon from 'autocannon';
import { unitsPerRequest, scrape } from './metrics';

/** Requests the probe sends, one at a time. */
export const RCU_PROBES = 3;

/**
 * Read capacity per request of a read endpoint, from requests sent one at a time (nothing else
 * running): for a window in which every request timed out under load, so its reads never finished
 * and the window's RCU/req says nothing. Without a cache, what a request reads does not depend on
 * the load, only on whether it finishes.
 */
export async function probeRcu(baseUrl: string, template: autocannon.Request): Promise<number> {
  const before = await scrape(baseUrl);
  for (let i = 0; i < RCU_PROBES; i++) {
    const req =
      typeof template.setupRequest === 'function'
        ? template.setupRequest({ ...template, headers: { ...template.headers } }, {})
        : template;
    const res = await fetch(`${baseUrl}${req.path}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      signal: AbortSignal.timeout(60_000),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`RCU probe ${req.path} answered ${res.status}`);
  }
  return unitsPerRequest(before, await scrape(baseUrl), RCU_PROBES) ?? 0;
}
