import { ErrorCode, OpenFeatureError } from '@openfeature/core';
import { PROVIDER_NAME, SwitchyardUnauthorizedError } from '@switchyard/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type StartedRelay } from '../support/start-relay.js';
import { RelayAdmin } from '../server-provider/relay-admin.js';
import { eventually } from '../server-provider/wait-for.js';
import { SERVER_PROVIDER, WEB_PROVIDER, type ConnectedProvider, type SharedEvent } from './provider-contract.js';

const ENVIRONMENT = 'production';
const OPTIONS = {
  staleAfterMs: 200,
  errorAfterMs: 1_500,
  retryDelayMs: { initialDelayMs: 100, maxDelayMs: 500 },
};

/** Resolves once `provider` has emitted `event` (possibly already). */
function emitted(provider: ConnectedProvider, event: SharedEvent, after = 0) {
  return eventually(
    `${event} from the provider`,
    async () => provider.events.slice(after).find((entry) => entry.event === event),
    30_000,
    20,
  );
}

describe.each([SERVER_PROVIDER, WEB_PROVIDER])('provider contract: $name', (subject) => {
  let relay: StartedRelay;
  let key: string;

  beforeAll(async () => {
    relay = await startRelay();
    const admin = new RelayAdmin(relay.url, relay.adminKey);
    await admin.createFlag({
      name: 'contract-flag',
      type: 'boolean',
      variants: [],
      environments: { [ENVIRONMENT]: { enabled: true, rules: [], fallthrough: { serve: true } } },
    });
    key = (await admin.createKey(subject.keyRole, ENVIRONMENT)).key;
  });
  afterEach(() => subject.clear());
  afterAll(() => relay?.close());

  it('when connected, then it is READY, evaluates, and is named like the other provider', async () => {
    const provider = await subject.connect(relay.url, key, OPTIONS);
    expect(provider.status()).toBe('READY');
    expect(await provider.booleanValue('contract-flag', false)).toBe(true);
    expect(provider.metadataName).toBe(PROVIDER_NAME);
  });

  it('when the key is unknown, then initialisation fails with PROVIDER_FATAL and the status is FATAL', async () => {
    const failure = await subject.connect(relay.url, 'sy-unknown-key', OPTIONS).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenFeatureError);
    expect(failure).toMatchObject({ code: ErrorCode.PROVIDER_FATAL });
  });

  it('when the relay refuses the key, then the transport throws SWITCHYARD_UNAUTHORIZED, mapped to PROVIDER_FATAL', async () => {
    const failure = await subject
      .sendUsage(relay.url, 'sy-unknown-key', { evaluations: [], events: [] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SwitchyardUnauthorizedError);
    expect(failure).toMatchObject({
      code: 'SWITCHYARD_UNAUTHORIZED',
      openFeatureErrorCode: 'PROVIDER_FATAL',
      status: 401,
      retriable: false,
    });
  });

  it('when the relay stays away, then STALE, then ERROR (GENERAL) after errorAfterMs with evaluations going on; back, then READY', async () => {
    const provider = await subject.connect(relay.url, key, OPTIONS);
    await relay.stop();
    const stale = await emitted(provider, 'PROVIDER_STALE');
    const error = await emitted(provider, 'PROVIDER_ERROR');
    expect(provider.events.indexOf(stale)).toBeLessThan(provider.events.indexOf(error));
    expect(error.details).toMatchObject({ errorCode: ErrorCode.GENERAL });
    expect(provider.status()).toBe('ERROR');
    expect(await provider.booleanValue('contract-flag', false)).toBe(true);

    const before = provider.events.length;
    await relay.restart();
    await emitted(provider, 'PROVIDER_READY', before);
    expect(provider.status()).toBe('READY');
  });
});
