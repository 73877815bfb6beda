import { OpenFeature } from '@openfeature/server-sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readyClient, relayWithSnapshot } from '../testing/provider-fixtures.js';

afterEach(async () => {
  vi.useRealTimers();
  await OpenFeature.clearProviders();
});

describe('usage and close', () => {
  it('when the provider closes, then the stream is closed and counts and tracked events are shipped', async () => {
    const transport = relayWithSnapshot();
    const { client } = await readyClient(transport);
    await client.getBooleanValue('new-dashboard', false, { targetingKey: 'user-1' });
    await client.getBooleanValue('new-dashboard', false, { targetingKey: 'user-2' });
    await client.getStringValue('missing', 'x');
    client.track(
      'conversion',
      { targetingKey: 'user-1' },
      { flagName: 'new-dashboard', value: 99.99, page: 'checkout' },
    );
    await OpenFeature.clearProviders();
    expect(transport.latest.closedByClient).toBe(true);
    const [batch] = transport.batches;
    expect(batch?.environment).toBe('production');
    expect(batch?.evaluations).toEqual([
      expect.objectContaining({ flagName: 'new-dashboard', enabled: true, count: 2, userIds: ['user-1', 'user-2'] }),
    ]);
    expect(batch?.errors).toEqual([
      expect.objectContaining({ flagName: 'missing', errorCode: 'FLAG_NOT_FOUND', count: 1 }),
    ]);
    expect(batch?.events).toEqual([
      expect.objectContaining({
        name: 'conversion',
        userId: 'user-1',
        flagName: 'new-dashboard',
        value: 99.99,
        metadata: { page: 'checkout' },
      }),
    ]);
  });

  it('when an outcome names a flag but no variant, then it is attributed to the variant served to that user', async () => {
    const transport = relayWithSnapshot();
    const { client } = await readyClient(transport);
    client.track('conversion', { targetingKey: 'user-1' }, { flagName: 'checkout-button' });
    client.track('conversion', { targetingKey: 'user-1' }, { flagName: 'checkout-button', variant: 'control' });
    await OpenFeature.clearProviders();
    expect(transport.batches.flatMap((batch) => batch.events ?? []).map((event) => event.variant)).toEqual([
      'treatment',
      'control',
    ]);
  });

  it('when an outcome names no flag, then it counts for each flag with variants the user was served, for the variant served, and for none served to others', async () => {
    const transport = relayWithSnapshot();
    const { client } = await readyClient(transport);
    await client.getStringValue('checkout-button', 'none', { targetingKey: 'user-1' });
    await client.getNumberValue('page-size', 0, { targetingKey: 'user-1' });
    await client.getBooleanValue('new-dashboard', false, { targetingKey: 'user-1' });
    await client.getStringValue('checkout-button', 'none', { targetingKey: 'user-2' });
    client.track('conversion', { targetingKey: 'user-1' }, { value: 5 });
    client.track('conversion', { targetingKey: 'stranger' });
    await OpenFeature.clearProviders();
    const events = transport.batches.flatMap((batch) => batch.events ?? []);
    expect(events.map(({ userId, flagName, variant, value }) => ({ userId, flagName, variant, value }))).toEqual([
      { userId: 'user-1', flagName: 'checkout-button', variant: 'treatment', value: 5 },
      { userId: 'user-1', flagName: 'page-size', variant: 'big', value: 5 },
      { userId: 'stranger', flagName: undefined, variant: undefined, value: undefined },
    ]);
  });

  it('when the attribution window has passed since the user was served, then an outcome naming no flag stays unattributed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const transport = relayWithSnapshot();
    const { client } = await readyClient(transport, { usage: { attributionWindowMs: 60_000 } });
    await client.getStringValue('checkout-button', 'none', { targetingKey: 'user-1' });
    vi.setSystemTime(Date.now() + 60_001);
    client.track('conversion', { targetingKey: 'user-1' });
    await OpenFeature.clearProviders();
    expect(transport.batches.flatMap((batch) => batch.events ?? []).map((event) => event.flagName)).toEqual([
      undefined,
    ]);
  });

  it('when analytics are switched off, then nothing is shipped', async () => {
    const transport = relayWithSnapshot();
    const { client } = await readyClient(transport, { enableAnalytics: false });
    await client.getBooleanValue('new-dashboard', false);
    client.track('conversion', { targetingKey: 'user-1' });
    await OpenFeature.clearProviders();
    expect(transport.batches).toEqual([]);
  });
});
