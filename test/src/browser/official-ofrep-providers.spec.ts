import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';
import { ErrorCode, OpenFeature as ServerOpenFeature } from '@openfeature/server-sdk';
import { OpenFeature as WebOpenFeature, ProviderEvents } from '@openfeature/web-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelayAdmin } from '../server-provider/relay-admin.js';
import { eventually } from '../server-provider/wait-for.js';
import { startRelay, type StartedRelay } from '../support/start-relay.js';
import { addCheckoutUser, createBrowserFlags } from './browser-flags.js';

let relay: StartedRelay;
let admin: RelayAdmin;
let serverKey: string;
let clientKey: string;

beforeAll(async () => {
  relay = await startRelay();
  admin = new RelayAdmin(relay.url, relay.adminKey);
  await createBrowserFlags(admin);
  serverKey = (await admin.createKey('server', 'production')).key;
  clientKey = (await admin.createKey('client', 'production')).key;
}, 120_000);

afterAll(async () => {
  await ServerOpenFeature.close();
  await WebOpenFeature.close();
  await relay?.close();
});

describe('@openfeature/ofrep-provider (server) against the relay', () => {
  it('when flags are evaluated per request, then values, variants and reasons come from the relay', async () => {
    const provider = new OFREPProvider({ baseUrl: relay.url, headers: [['Authorization', `Bearer ${serverKey}`]] });
    await ServerOpenFeature.setProviderAndWait('ofrep-bearer', provider);
    const client = ServerOpenFeature.getClient('ofrep-bearer');
    expect(await client.getBooleanDetails('new-checkout', false, { targetingKey: 'alice' })).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    expect(await client.getBooleanValue('new-checkout', true, { targetingKey: 'bob' })).toBe(false);
    expect(await client.getStringDetails('theme', 'none', { targetingKey: 'bob', plan: 'pro' })).toMatchObject({
      value: 'dark',
      variant: 'dark',
    });
  });

  it("when a flag is unknown or has no value for the user, then the application's default applies", async () => {
    const client = ServerOpenFeature.getClient('ofrep-bearer');
    expect(await client.getStringDetails('no-such-flag', 'fallback', { targetingKey: 'bob' })).toMatchObject({
      value: 'fallback',
      errorCode: ErrorCode.FLAG_NOT_FOUND,
    });
    expect(await client.getStringValue('maintenance-message', 'no notice', { targetingKey: 'bob' })).toBe('no notice');
    expect(await client.getObjectValue('maintenance-message', { shown: false }, { targetingKey: 'bob' })).toEqual({
      shown: false,
    });
    expect(await client.getNumberValue('maintenance-message', 7, { targetingKey: 'bob' })).toBe(7);
  });

  it("when flags are evaluated one by one over OFREP, then they count in the flag's analytics", async () => {
    const client = ServerOpenFeature.getClient('ofrep-bearer');
    for (const user of ['u1', 'u2', 'u3']) await client.getStringValue('banner-text', '', { targetingKey: user });
    const figures = await eventually(
      'OFREP evaluations of banner-text in analytics',
      async () => {
        const analytics = (await admin.analytics('banner-text')) as { totalEvaluations: number; uniqueUsers: number };
        return analytics.totalEvaluations >= 3 ? analytics : undefined;
      },
      20_000,
      250,
    );
    expect(figures.uniqueUsers).toBe(3);
  });

  it('when the key is sent as X-API-Key, then evaluations work the same', async () => {
    await ServerOpenFeature.setProviderAndWait(
      'ofrep-api-key',
      new OFREPProvider({ baseUrl: relay.url, headers: [['X-API-Key', serverKey]] }),
    );
    expect(
      await ServerOpenFeature.getClient('ofrep-api-key').getBooleanValue('new-checkout', false, {
        targetingKey: 'alice',
      }),
    ).toBe(true);
  });
});

describe('@openfeature/ofrep-web-provider against the relay', () => {
  it('when used with a client key, then it loads every value, follows context changes and reports flag changes', async () => {
    // Node has no EventSource, so this provider polls here; the Chromium test covers its event stream.
    const provider = new OFREPWebProvider({
      baseUrl: relay.url,
      headers: [['Authorization', `Bearer ${clientKey}`]],
      pollInterval: 300,
      cacheMode: 'disabled',
    });
    await WebOpenFeature.setContext('ofrep-web', { targetingKey: 'dave' });
    await WebOpenFeature.setProviderAndWait('ofrep-web', provider);
    const client = WebOpenFeature.getClient('ofrep-web');
    expect(client.getBooleanValue('new-checkout', true)).toBe(false);
    expect(client.getStringValue('banner-text', '')).toBe('Hello from Switchyard');
    expect(client.getStringDetails('maintenance-message', 'no notice')).toMatchObject({
      value: 'no notice',
      reason: 'DISABLED',
    });

    const changed = new Promise<string[] | undefined>((resolve) =>
      client.addHandler(ProviderEvents.ConfigurationChanged, (details) => resolve(details?.flagsChanged)),
    );
    await addCheckoutUser(admin, 'dave');
    expect(await changed).toEqual(['new-checkout']);
    expect(client.getBooleanValue('new-checkout', false)).toBe(true);

    await WebOpenFeature.setContext('ofrep-web', { targetingKey: 'erin', plan: 'pro' });
    expect(client.getStringValue('theme', 'none')).toBe('dark');
    expect(client.getBooleanValue('new-checkout', true)).toBe(false);
  });
});
