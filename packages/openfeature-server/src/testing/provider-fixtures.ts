import { OpenFeature, type EventDetails, type ProviderEvents } from '@openfeature/server-sdk';
import { SwitchyardProvider } from '../lib/switchyard-provider.js';
import type { SwitchyardProviderOptions } from '../lib/provider-options.js';
import { booleanFlag, percentageFlag, userListFlag, variantFlag } from './flag-builders.js';
import { FakeTransport } from './fake-transport.js';

export const OPTIONS: SwitchyardProviderOptions = {
  relayUrl: 'http://relay.test',
  sdkKey: 'sk-test',
  staleAfterMs: 1_000,
  errorAfterMs: 5_000,
  reconnectBackoff: { initialDelayMs: 100, maxDelayMs: 100 },
  logger: { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} },
};

export const FLAGS = [
  booleanFlag('new-dashboard'),
  booleanFlag('old-banner', false),
  variantFlag('checkout-button', { control: 'blue', treatment: 'green' }, 'treatment'),
  variantFlag('page-size', { small: 10, big: 100 }, 'big'),
  variantFlag('layout', { grid: { columns: 3 } }, 'grid'),
  userListFlag('beta-users', ['user-1']),
  percentageFlag('half-rollout', 50),
];

export function relayWithSnapshot(flags = FLAGS): FakeTransport {
  const transport = new FakeTransport();
  transport.onOpen = (stream) => stream.snapshot(flags, 10);
  return transport;
}

export async function readyClient(transport: FakeTransport, options: Partial<SwitchyardProviderOptions> = {}) {
  const provider = new SwitchyardProvider({ ...OPTIONS, ...options }, transport);
  await OpenFeature.setProviderAndWait('unit', provider);
  return { provider, client: OpenFeature.getClient('unit') };
}

export function nextEvent(provider: SwitchyardProvider, event: ProviderEvents): Promise<EventDetails> {
  return new Promise((resolve) => {
    const handler = (details?: EventDetails) => {
      provider.events.removeHandler(event, handler);
      resolve(details ?? ({} as EventDetails));
    };
    provider.events.addHandler(event, handler);
  });
}
