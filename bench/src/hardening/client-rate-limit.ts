import { startRelayProcess } from '../relay-process.js';

/** Issue 17 item 5: `POST /api/v1/feature-flags/evaluate` with a client key, many times in a row. */
export interface ClientRateLimitResult {
  sent: number;
  answered: number;
  refused: number;
  firstRefusal: string;
}

const REQUESTS = 2_000;

/** Sends the 2,000 evaluations in a row with one client key (the relay's default limits). */
export async function measureClientRateLimit(adminKey: string): Promise<ClientRateLimitResult> {
  const relay = await startRelayProcess(adminKey, { SWITCHYARD_CONSOLE_ENABLED: 'false' });
  try {
    await relay.api('POST', '/api/v1/feature-flags', {
      name: 'rate-limited',
      type: 'boolean',
      clientVisible: true,
      environments: { production: { enabled: true, fallthrough: { serve: true } } },
    });
    const key = await relay.createKey('client');
    let answered = 0;
    let refused = 0;
    let firstRefusal = '';
    for (let i = 0; i < REQUESTS; i += 1) {
      const response = await fetch(`${relay.url}/api/v1/feature-flags/evaluate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ userContext: { userId: `user-${i}` } }),
      });
      await response.arrayBuffer();
      if (response.status === 200) answered += 1;
      else if (response.status === 429) {
        refused += 1;
        if (firstRefusal === '')
          firstRefusal = `request ${i + 1}: 429, Retry-After ${response.headers.get('retry-after') ?? 'absent'}`;
      } else throw new Error(`evaluate answered ${response.status}`);
    }
    return { sent: REQUESTS, answered, refused, firstRefusal };
  } finally {
    await relay.stop();
  }
}
