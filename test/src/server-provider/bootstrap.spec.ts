import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenFeature, ProviderEvents, ProviderStatus } from '@openfeature/server-sdk';
import { SwitchyardProvider } from '@switchyard/openfeature-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type StartedRelay } from '../support/start-relay.js';
import { RelayAdmin } from './relay-admin.js';
import { eventually, namesFlag, nextEvent } from './wait-for.js';

describe('starting from a bootstrap snapshot while the relay is down', () => {
  let relay: StartedRelay;
  let admin: RelayAdmin;
  let directory: string;

  beforeAll(async () => {
    relay = await startRelay();
    admin = new RelayAdmin(relay.url, relay.adminKey);
    directory = await mkdtemp(join(tmpdir(), 'switchyard-bootstrap-e2e-'));
  });

  afterAll(async () => {
    await OpenFeature.clearProviders();
    await relay?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('when the relay is down at start, then the saved snapshot is served, and the relay replaces it once back', async () => {
    await admin.createFlag({
      name: 'checkout-v2',
      description: 'e2e bootstrap',
      tags: [],
      type: 'boolean',
      variants: [],
      environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } },
    });
    const { key } = await admin.createKey('server', 'production');

    // A first service run saves what it holds, as an application would for its next start.
    const first = new SwitchyardProvider({ relayUrl: relay.url, sdkKey: key, enableAnalytics: false });
    await OpenFeature.setProviderAndWait('bootstrap-first', first);
    const file = join(directory, 'flags.json');
    await writeFile(file, JSON.stringify(first.exportSnapshot()));
    await OpenFeature.clearProviders();

    await relay.stop();
    const provider = new SwitchyardProvider({
      relayUrl: relay.url,
      sdkKey: key,
      enableAnalytics: false,
      bootstrap: file,
      reconnectBackoff: { initialDelayMs: 200, maxDelayMs: 500 },
    });
    await OpenFeature.setProviderAndWait('bootstrap', provider);
    const client = OpenFeature.getClient('bootstrap');
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(await client.getBooleanValue('checkout-v2', false)).toBe(true);

    const changed = nextEvent(client, ProviderEvents.ConfigurationChanged, 30_000, namesFlag('checkout-v2'));
    await relay.restart();
    await admin.updateFlag('checkout-v2', (flag) => ({
      ...flag,
      environments: { production: { enabled: false, rules: [], fallthrough: { serve: true } } },
    }));
    await changed;
    await eventually(
      'the relay configuration to replace the bootstrap',
      async () => ((await client.getBooleanValue('checkout-v2', true)) === false ? true : undefined),
      10_000,
    );
  });
});
