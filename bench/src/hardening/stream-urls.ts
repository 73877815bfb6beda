import { startRelayProcess } from '../relay-process.js';

/** Issue 17 item 7: the event-stream URL an OFREP bulk answer advertises to a server key. */
export interface StreamUrlResult {
  advertised: string;
  containsServerKey: boolean;
  /** Whether the advertised URL, as given, opens the event stream. */
  opens: string;
}

export async function measureStreamUrls(adminKey: string): Promise<StreamUrlResult> {
  const relay = await startRelayProcess(adminKey, { SWITCHYARD_CONSOLE_ENABLED: 'false' });
  try {
    const key = await relay.createKey('server');
    const response = await fetch(`${relay.url}/ofrep/v1/evaluate/flags`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ context: { targetingKey: 'user-1' } }),
    });
    const text = await response.text();
    const body = JSON.parse(text) as {
      eventStreams?: { url?: string; endpoint?: { origin?: string; requestUri?: string } }[];
    };
    const stream = body.eventStreams?.[0];
    const advertised = stream?.url ?? `${stream?.endpoint?.origin ?? ''}${stream?.endpoint?.requestUri ?? ''}`;
    const secret = key.slice(key.lastIndexOf('_') + 1);
    let opens = 'no URL';
    if (advertised !== '') {
      const controller = new AbortController();
      const events = await fetch(new URL(advertised, relay.url), { signal: controller.signal });
      opens = `${events.status} ${events.headers.get('content-type') ?? ''}`.trim();
      controller.abort();
    }
    return {
      advertised: advertised.replace(/([?&](?:token|key)=)[^&]+/, '$1…'),
      containsServerKey: text.includes(key) || text.includes(secret),
      opens,
    };
  } finally {
    await relay.stop();
  }
}
