import { OpenFeature as ServerOpenFeature, type EventDetails } from '@openfeature/server-sdk';
import { OpenFeature as WebOpenFeature } from '@openfeature/web-sdk';
import {
  RelayTransport as ServerRelayTransport,
  SwitchyardProvider,
  type SwitchyardProviderOptions,
} from '@switchyard/openfeature-server';
import {
  RelayTransport as WebRelayTransport,
  SwitchyardWebProvider,
  type SwitchyardWebProviderOptions,
} from '@switchyard/openfeature-web';
import type { UsageBatch } from '@switchyard/protocol';

/** The provider events both SDKs name alike (`ProviderEvents` / `ClientProviderEvents`). */
export type SharedEvent = 'PROVIDER_READY' | 'PROVIDER_STALE' | 'PROVIDER_ERROR';

/** The settings both providers share, with the same names and meaning. */
interface SharedOptions {
  staleAfterMs: number;
  errorAfterMs: number;
  /** Shortest and longest delay between attempts to reach the relay again. */
  retryDelayMs: { initialDelayMs: number; maxDelayMs: number };
}

/** One provider registered with its SDK under a fresh domain. */
export interface ConnectedProvider {
  metadataName: string;
  status(): string;
  booleanValue(flagName: string, defaultValue: boolean): Promise<boolean>;
  /** The events in the order the provider emitted them since `connect`. */
  readonly events: Array<{ event: SharedEvent; details: EventDetails }>;
}

/** What the contract suite needs from each provider, so the same expectations run against both. */
export interface ProviderUnderTest {
  name: string;
  keyRole: 'server' | 'client';
  /** Registers the provider and waits for its initialisation; rejects as the SDK's `setProviderAndWait` does. */
  connect(relayUrl: string, key: string, options: SharedOptions): Promise<ConnectedProvider>;
  /** Sends a usage batch through the provider's own transport. */
  sendUsage(relayUrl: string, key: string, batch: UsageBatch): Promise<void>;
  clear(): Promise<void>;
}

const SHARED_EVENTS: SharedEvent[] = ['PROVIDER_READY', 'PROVIDER_STALE', 'PROVIDER_ERROR'];
let domains = 0;

interface EventSource {
  addHandler(event: never, handler: (details?: EventDetails) => void): void;
}

function recordEvents(source: EventSource): ConnectedProvider['events'] {
  const events: ConnectedProvider['events'] = [];
  for (const event of SHARED_EVENTS) {
    source.addHandler(event as never, (details) => events.push({ event, details: details ?? ({} as EventDetails) }));
  }
  return events;
}

export const SERVER_PROVIDER: ProviderUnderTest = {
  name: 'SwitchyardProvider (server)',
  keyRole: 'server',
  async connect(relayUrl, sdkKey, options) {
    const settings: SwitchyardProviderOptions = {
      relayUrl,
      sdkKey,
      enableAnalytics: false,
      initTimeoutMs: 10_000,
      staleAfterMs: options.staleAfterMs,
      errorAfterMs: options.errorAfterMs,
      reconnectBackoff: options.retryDelayMs,
      logger: { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} },
    };
    const provider = new SwitchyardProvider(settings);
    const domain = `contract-server-${++domains}`;
    const events = recordEvents(provider.events as unknown as EventSource);
    await ServerOpenFeature.setProviderAndWait(domain, provider);
    const client = ServerOpenFeature.getClient(domain);
    return {
      metadataName: provider.metadata.name,
      status: () => client.providerStatus,
      booleanValue: (flagName, defaultValue) => client.getBooleanValue(flagName, defaultValue),
      events,
    };
  },
  sendUsage: (relayUrl, sdkKey, batch) =>
    new ServerRelayTransport({ relayUrl, sdkKey, requestTimeoutMs: 5_000 }).sendUsage(batch),
  clear: () => ServerOpenFeature.clearProviders(),
};

export const WEB_PROVIDER: ProviderUnderTest = {
  name: 'SwitchyardWebProvider (web)',
  keyRole: 'client',
  async connect(relayUrl, clientKey, options) {
    // Node 20 has no WebSocket: the provider polls, as it does in a browser without one.
    const settings: SwitchyardWebProviderOptions = {
      relayUrl,
      clientKey,
      usage: false,
      pollIntervalMs: 200,
      staleAfterMs: options.staleAfterMs,
      errorAfterMs: options.errorAfterMs,
      reconnectMinDelayMs: options.retryDelayMs.initialDelayMs,
      reconnectMaxDelayMs: options.retryDelayMs.maxDelayMs,
    };
    const provider = new SwitchyardWebProvider(settings);
    const domain = `contract-web-${++domains}`;
    const events = recordEvents(provider.events as unknown as EventSource);
    await WebOpenFeature.setProviderAndWait(domain, provider);
    const client = WebOpenFeature.getClient(domain);
    return {
      metadataName: provider.metadata.name,
      status: () => client.providerStatus,
      booleanValue: async (flagName, defaultValue) => client.getBooleanValue(flagName, defaultValue),
      events,
    };
  },
  sendUsage: (relayUrl, clientKey, batch) => new WebRelayTransport({ relayUrl, clientKey }).sendUsage(batch, false),
  clear: () => WebOpenFeature.clearProviders(),
};
