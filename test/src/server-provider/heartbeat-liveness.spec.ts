import { OpenFeature, ProviderEvents, ProviderStatus } from '@openfeature/server-sdk';
import { SwitchyardProvider } from '@switchyard/openfeature-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type StartedRelay } from '../support/start-relay.js';
import { RelayAdmin } from './relay-admin.js';
import { nextEvent } from './wait-for.js';

describe('a relay that freezes without closing its sockets', () => {
  let relay: StartedRelay;
  let serverKey: string;

  beforeAll(async () => {
    relay = await startRelay({ env: { SWITCHYARD_STREAM_HEARTBEAT_INTERVAL_MS: '500' } });
    const admin = new RelayAdmin(relay.url, relay.adminKey);
    await admin.createFlag({
      name: 'new-ui',
      description: 'e2e heartbeat',
      tags: [],
      type: 'boolean',
      variants: [],
      environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } },
    });
    serverKey = (await admin.createKey('server', 'production')).key;
  });

  afterAll(async () => {
    const pid = relay?.pid();
    if (pid !== undefined) process.kill(pid, 'SIGCONT');
    await OpenFeature.clearProviders();
    await relay?.close();
  });

  it('when the heartbeats stop (SIGSTOP), then the provider finds the link dead and goes STALE; SIGCONT, then READY', async () => {
    await OpenFeature.setProviderAndWait(
      'heartbeat',
      new SwitchyardProvider({
        relayUrl: relay.url,
        sdkKey: serverKey,
        enableAnalytics: false,
        staleAfterMs: 500,
        connectTimeoutMs: 2_000,
        requestTimeoutMs: 2_000,
        reconnectBackoff: { initialDelayMs: 200, maxDelayMs: 1_000 },
      }),
    );
    const client = OpenFeature.getClient('heartbeat');
    const pid = relay.pid()!;

    const stale = nextEvent(client, ProviderEvents.Stale, 20_000);
    process.kill(pid, 'SIGSTOP');
    await stale;
    expect(await client.getBooleanValue('new-ui', false)).toBe(true);

    const ready = nextEvent(client, ProviderEvents.Ready, 30_000);
    process.kill(pid, 'SIGCONT');
    await ready;
    expect(client.providerStatus).toBe(ProviderStatus.READY);
  });
});
