import type { HubNotifier } from '../core/websub.ts';
import { publishPingBody } from '../core/websub.ts';

/** Tries a ping this many times: a hub that is down must not hold a run for long. */
const ATTEMPTS = 3;
const TIMEOUT_MS = 5_000;

/**
 * Publish pings over HTTP(S) with Node's `fetch`: one POST per run, retried on a network error or a 5xx
 * (250 ms, then 1 s). A 4xx is the hub refusing the request: not retried.
 */
export function httpHubNotifier(fetchImpl: typeof fetch = fetch): HubNotifier {
  return {
    async publish(hub, feedUrls) {
      const body = publishPingBody(feedUrls);
      for (let attempt = 1; ; attempt++) {
        let failed: { readonly error: Error; readonly retry: boolean };
        try {
          const response = await fetchImpl(hub, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body,
            signal: AbortSignal.timeout(TIMEOUT_MS),
          });
          await response.body?.cancel();
          if (response.ok) return;
          const error = new Error(`the hub ${hub} answered ${response.status} ${response.statusText}`.trim());
          failed = { error, retry: response.status >= 500 };
        } catch (error) {
          failed = { error: error as Error, retry: true };
        }
        if (!failed.retry || attempt >= ATTEMPTS) throw failed.error;
        await new Promise((resolve) => setTimeout(resolve, attempt === 1 ? 250 : 1_000));
      }
    },
  };
}
