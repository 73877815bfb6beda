import { InMemoryProvider, OpenFeature } from '@openfeature/server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { booleanFlag, userListFlag, variantFlag } from '../../testing/flag-builders.js';
import { FakeTransport } from '../../testing/fake-transport.js';
import { SwitchyardProvider } from '../switchyard-provider.js';
import { FeatureFlagService, getFeatureFlagService } from './feature-flag-service.js';

const silent = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
const FLAGS = [
  booleanFlag('new-dashboard'),
  booleanFlag('dark-mode', false),
  userListFlag('premium-feature', ['user-123']),
  variantFlag(
    'checkout-button-test',
    { control: { color: 'blue', text: 'Buy Now' }, treatment: { color: 'green', text: 'Purchase' } },
    'treatment',
  ),
];

async function serviceWithSwitchyard() {
  const transport = new FakeTransport();
  transport.onOpen = (stream) => stream.snapshot(FLAGS);
  await OpenFeature.setProviderAndWait(
    'seed',
    new SwitchyardProvider({ relayUrl: 'http://relay.test', sdkKey: 'sk', logger: silent }, transport),
  );
  return { transport, service: getFeatureFlagService('seed') };
}

afterEach(() => OpenFeature.clearProviders());

describe('FeatureFlagService over a SwitchyardProvider', () => {
  it('when a flag is on or off for the user, then isFeatureEnabled says so', async () => {
    const { service } = await serviceWithSwitchyard();
    expect(await service.isFeatureEnabled('new-dashboard', { userId: 'user-1' })).toBe(true);
    expect(await service.isFeatureEnabled('dark-mode', { userId: 'user-1' })).toBe(false);
    expect(await service.isFeatureEnabled('premium-feature', { userId: 'user-123', plan: 'premium' })).toBe(true);
    expect(await service.isFeatureEnabled('premium-feature', { userId: 'user-456' })).toBe(false);
    expect(await service.isFeatureEnabled('missing', { userId: 'user-1' })).toBe(false);
  });

  it('when an A/B test flag is evaluated, then getFeatureVariant returns the served object', async () => {
    const { service } = await serviceWithSwitchyard();
    expect(await service.getFeatureVariant('checkout-button-test', { userId: 'user-1' })).toEqual({
      color: 'green',
      text: 'Purchase',
    });
    expect(await service.isFeatureEnabled('checkout-button-test', { userId: 'user-1' })).toBe(true);
  });

  it('when a flag is evaluated, then evaluateFeatureFlag gives the seed evaluation, errors included', async () => {
    const { service } = await serviceWithSwitchyard();
    expect(await service.evaluateFeatureFlag('checkout-button-test', { userId: 'user-1' })).toMatchObject({
      flagName: 'checkout-button-test',
      enabled: true,
      variant: 'treatment',
      value: { color: 'green', text: 'Purchase' },
    });
    expect(await service.evaluateFeatureFlag('missing', {})).toMatchObject({
      enabled: false,
      value: undefined,
      errorCode: 'FLAG_NOT_FOUND',
    });
  });

  it('when an outcome is tracked, then it reaches the relay with the flag, user and metadata', async () => {
    const { service, transport } = await serviceWithSwitchyard();
    service.trackFeatureUsage('new-dashboard', 'user-123', 'conversion', { page: 'checkout', amount: 99.99 });
    await OpenFeature.clearProviders();
    expect(transport.batches.flatMap((batch) => batch.events ?? [])).toEqual([
      expect.objectContaining({
        name: 'conversion',
        flagName: 'new-dashboard',
        userId: 'user-123',
        metadata: { page: 'checkout', amount: 99.99 },
      }),
    ]);
  });
});

describe('FeatureFlagService over another OpenFeature provider', () => {
  it('when the provider is not Switchyard, then booleans still work (switching vendors is one line)', async () => {
    await OpenFeature.setProviderAndWait(
      'other',
      new InMemoryProvider({ 'new-ui': { variants: { on: true, off: false }, defaultVariant: 'on', disabled: false } }),
    );
    const service = new FeatureFlagService({ client: OpenFeature.getClient('other') });
    expect(await service.isFeatureEnabled('new-ui', { userId: 'u' })).toBe(true);
  });
});
