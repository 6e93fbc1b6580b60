import type autocannon from 'autocannon';
import { callsPerRequest, scrape } from './metrics';
import { settleApps } from './session';

/** Requests the commands probe sends, one at a time. */
export const CALLS_PROBES = 20;
/** How long each app may take to finish what the probe's requests started (the email after an enroll). */
const SETTLE_MS = 15_000;

/**
 * DynamoDB commands per request of an endpoint, every app counted (after an enroll, the outbox
 * relay's and the email worker's too), from requests sent one at a time to idle apps and counted
 * once every app is idle again. A loaded window cannot give this: it ends with a queue of requests
 * whose reads were sent but which have not finished, so its count says how deep the queue was.
 * The relay's poll of its pending index (OUTBOX_RELAY_INTERVAL_MS) falls in the probe too. `urls`
 * lists the endpoint's app first; the template's onResponse sees every answer (the enroll pair's
 * state follows).
 */
export async function probeCalls(
  urls: readonly string[],
  template: autocannon.Request,
): Promise<Record<string, number> | null> {
  const scrapeAll = () => Promise.all(urls.map((u) => scrape(u)));
  const settle = () => settleApps(urls, SETTLE_MS);
  await settle(); // what came before (the emails of the pairs' drops) is not counted
  const before = await scrapeAll();
  for (let i = 0; i < CALLS_PROBES; i++) {
    const req =
      typeof template.setupRequest === 'function'
        ? template.setupRequest({ ...template, headers: { ...template.headers } }, {})
        : template;
    const res = await fetch(`${urls[0]}${req.path}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: req.body ? String(req.body) : undefined,
      signal: AbortSignal.timeout(60_000),
    });
    const body = await res.text();
    if (res.status >= 500) throw new Error(`commands probe ${req.path} answered ${res.status}`);
    (template.onResponse as ((status: number, body: string) => void) | undefined)?.(
      res.status,
      body,
    );
  }
  await settle();
  return callsPerRequest(before, await scrapeAll(), CALLS_PROBES);
}
