import { ErrorCode, OpenFeature, ProviderEvents, ProviderStatus } from '@openfeature/server-sdk';
import type { Flag } from '@switchyard/core';
import { SwitchyardProvider, type SwitchyardProviderOptions } from '@switchyard/openfeature-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type StartedRelay } from '../support/start-relay.js';
import { RelayAdmin } from './relay-admin.js';
import { eventually, namesFlag, nextEvent } from './wait-for.js';

const ENVIRONMENT = 'production';

function booleanFlag(name: string, enabled: boolean): Partial<Flag> & { name: string } {
  return {
    name,
    description: `e2e ${name}`,
    tags: ['e2e'],
    type: 'boolean',
    variants: [],
    environments: { [ENVIRONMENT]: { enabled, rules: [], fallthrough: { serve: true } } },
  };
}

function setEnabled(enabled: boolean) {
  return (flag: Flag): Flag => {
    const config = flag.environments[ENVIRONMENT];
    if (config === undefined) throw new Error(`${flag.name} has no ${ENVIRONMENT} configuration`);
    return { ...flag, environments: { ...flag.environments, [ENVIRONMENT]: { ...config, enabled } } };
  };
}

describe('SwitchyardProvider against a real relay', () => {
  let relay: StartedRelay;
  let admin: RelayAdmin;
  let serverKey: string;

  const connect = async (domain: string, options: Partial<SwitchyardProviderOptions> = {}) => {
    const provider = new SwitchyardProvider({
      relayUrl: relay.url,
      sdkKey: serverKey,
      enableAnalytics: false,
      ...options,
    });
    await OpenFeature.setProviderAndWait(domain, provider);
    return { provider, client: OpenFeature.getClient(domain) };
  };

  beforeAll(async () => {
    relay = await startRelay({ env: { SWITCHYARD_STREAM_HEARTBEAT_INTERVAL_MS: '1000' } });
    admin = new RelayAdmin(relay.url, relay.adminKey);
    await admin.createFlag(booleanFlag('new-ui', true));
    await admin.createFlag(booleanFlag('advanced-features', false));
    serverKey = (await admin.createKey('server', ENVIRONMENT)).key;
  });

  afterEach(() => OpenFeature.clearProviders());
  afterAll(() => relay?.close());

  it('when the provider is set, then it is READY and evaluates the environment flags locally', async () => {
    const { client } = await connect('lifecycle-ready');
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(await client.getBooleanValue('new-ui', false)).toBe(true);
    expect(await client.getBooleanValue('advanced-features', true)).toBe(false);
  });

  it('when a flag changes through REST, then ConfigurationChanged names it within a second and evaluations follow', async () => {
    const { client } = await connect('lifecycle-change');
    const changed = nextEvent(client, ProviderEvents.ConfigurationChanged, 1_000, namesFlag('advanced-features'));
    await admin.updateFlag('advanced-features', setEnabled(true));
    expect((await changed).flagsChanged).toEqual(['advanced-features']);
    expect(await client.getBooleanValue('advanced-features', false)).toBe(true);
    await admin.updateFlag('advanced-features', setEnabled(false));
  });

  it('when a flag is created and deleted through REST, then both reach the provider', async () => {
    const { client } = await connect('lifecycle-create-delete');
    const created = nextEvent(client, ProviderEvents.ConfigurationChanged, 5_000, namesFlag('short-lived'));
    await admin.createFlag(booleanFlag('short-lived', true));
    await created;
    expect(await client.getBooleanValue('short-lived', false)).toBe(true);
    const deleted = nextEvent(client, ProviderEvents.ConfigurationChanged, 5_000, namesFlag('short-lived'));
    await admin.deleteFlag('short-lived');
    await deleted;
    expect((await client.getBooleanDetails('short-lived', false)).errorCode).toBe(ErrorCode.FLAG_NOT_FOUND);
  });

  it('when a flag is configured only for another environment, then FLAG_NOT_FOUND (as from the relay), while a flag switched off here is DISABLED', async () => {
    await admin.createFlag({
      ...booleanFlag('staging-only', true),
      environments: { staging: { enabled: true, rules: [], fallthrough: { serve: true } } },
    });
    const { client } = await connect('lifecycle-other-environment');
    expect(await client.getBooleanDetails('staging-only', true)).toMatchObject({
      value: true,
      reason: 'ERROR',
      errorCode: ErrorCode.FLAG_NOT_FOUND,
    });
    expect((await admin.evaluate('staging-only', { userId: 'user-1' }, ENVIRONMENT)).errorCode).toBe('FLAG_NOT_FOUND');
    const disabled = await client.getBooleanDetails('advanced-features', true);
    expect(disabled).toMatchObject({ value: false, reason: 'DISABLED' });
    expect(disabled.errorCode).toBeUndefined();
    await admin.deleteFlag('staging-only');
  });

  it('when the key is unknown, then initialize fails as PROVIDER_FATAL with a message saying the key was rejected', async () => {
    const provider = new SwitchyardProvider({
      relayUrl: relay.url,
      sdkKey: 'sy-not-a-real-key',
      enableAnalytics: false,
    });
    await expect(OpenFeature.setProviderAndWait('lifecycle-bad-key', provider)).rejects.toMatchObject({
      code: ErrorCode.PROVIDER_FATAL,
      message: expect.stringMatching(/rejected the server key/),
    });
    const client = OpenFeature.getClient('lifecycle-bad-key');
    expect(client.providerStatus).toBe(ProviderStatus.FATAL);
    expect(await client.getBooleanValue('new-ui', false)).toBe(false);
  });

  it('when the key is a client key, then initialize fails as PROVIDER_FATAL saying a server key is needed (no wait for initTimeoutMs)', async () => {
    const { key } = await admin.createKey('client', ENVIRONMENT);
    const provider = new SwitchyardProvider({
      relayUrl: relay.url,
      sdkKey: key,
      enableAnalytics: false,
      initTimeoutMs: 60_000,
    });
    await expect(OpenFeature.setProviderAndWait('lifecycle-client-key', provider)).rejects.toMatchObject({
      code: ErrorCode.PROVIDER_FATAL,
      message: expect.stringMatching(/client key: SwitchyardProvider needs a server key/),
    });
    expect(OpenFeature.getClient('lifecycle-client-key').providerStatus).toBe(ProviderStatus.FATAL);
  });

  it('when a connected key is revoked, then the provider turns FATAL saying the key was rejected', async () => {
    const revocable = await admin.createKey('server', ENVIRONMENT);
    const provider = new SwitchyardProvider({
      relayUrl: relay.url,
      sdkKey: revocable.key,
      enableAnalytics: false,
      reconnectBackoff: { initialDelayMs: 100, maxDelayMs: 200 },
    });
    await OpenFeature.setProviderAndWait('lifecycle-revoked', provider);
    const client = OpenFeature.getClient('lifecycle-revoked');
    const fatal = nextEvent(client, ProviderEvents.Error, 30_000);
    await admin.revokeKey(revocable.id);
    // A relay may keep an open stream after revocation; dropping it makes the provider present the key again.
    await relay.restart();
    expect(await fatal).toMatchObject({
      errorCode: ErrorCode.PROVIDER_FATAL,
      message: expect.stringMatching(/rejected the server key/),
    });
    expect(client.providerStatus).toBe(ProviderStatus.FATAL);
  });

  it('when the relay is killed, then STALE while evaluations go on; restarted, then READY with the changes made meanwhile', async () => {
    const { client } = await connect('lifecycle-outage', {
      staleAfterMs: 500,
      errorAfterMs: 120_000,
      reconnectBackoff: { initialDelayMs: 2_000, maxDelayMs: 2_000 },
    });
    expect(await client.getBooleanValue('new-ui', false)).toBe(true);

    const stale = nextEvent(client, ProviderEvents.Stale, 15_000);
    await relay.stop();
    await stale;
    expect(client.providerStatus).toBe(ProviderStatus.STALE);
    const duringOutage = await client.getBooleanDetails('new-ui', false);
    expect(duringOutage).toMatchObject({ value: true, reason: 'STATIC' });
    expect(duringOutage.errorCode).toBeUndefined();

    const ready = nextEvent(client, ProviderEvents.Ready, 30_000);
    await relay.restart();
    await admin.updateFlag('new-ui', setEnabled(false));
    await admin.createFlag(booleanFlag('made-meanwhile', true));
    await ready;
    await eventually(
      'the changes made meanwhile to reach the provider',
      async () => {
        const newUi = await client.getBooleanValue('new-ui', true);
        const meanwhile = await client.getBooleanValue('made-meanwhile', false);
        return newUi === false && meanwhile ? true : undefined;
      },
      10_000,
    );
    expect(client.providerStatus).toBe(ProviderStatus.READY);
  });
});
