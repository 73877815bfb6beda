import { ClientProviderEvents, ErrorCode, OpenFeature, ProviderStatus } from '@openfeature/web-sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeTransport } from '../testing/fake-transport.js';
import { SwitchyardWebProvider } from './switchyard-web-provider.js';
import { SwitchyardHttpError, SwitchyardTransportError, SwitchyardUnauthorizedError } from '@switchyard/protocol';

const options = { relayUrl: 'http://relay.test', clientKey: 'client-key' };
let domainCounter = 0;

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Registers a provider under a fresh domain and answers its initial fetch with `values`. */
async function ready(transport: FakeTransport, values = {}, providerOptions = {}) {
  const domain = `test-${++domainCounter}`;
  const provider = new SwitchyardWebProvider({ ...options, ...providerOptions }, transport);
  await OpenFeature.setContext(domain, { targetingKey: 'user-1' });
  const waiting = OpenFeature.setProviderAndWait(domain, provider);
  await settle();
  transport.answer(values);
  await waiting;
  return { provider, client: OpenFeature.getClient(domain), domain };
}

afterEach(async () => {
  vi.useRealTimers();
  await OpenFeature.clearProviders();
});

describe('SwitchyardWebProvider', () => {
  it('when initialised, then it fetches once and answers evaluations synchronously from that answer', async () => {
    const transport = new FakeTransport();
    const { client } = await ready(transport, {
      banner: { value: true, variant: 'on', reason: 'TARGETING_MATCH' },
      theme: { value: 'dark', variant: 'dark', reason: 'SPLIT' },
    });
    expect(client.getBooleanValue('banner', false)).toBe(true);
    expect(client.getStringDetails('theme', 'light')).toMatchObject({
      value: 'dark',
      variant: 'dark',
      reason: 'SPLIT',
    });
    expect(transport.fetches).toHaveLength(0);
  });

  it('when a flag is unknown, of another type or without a value, then the default applies with the right code', async () => {
    const { client } = await ready(new FakeTransport(), {
      theme: { value: 'dark', reason: 'STATIC' },
      off: { reason: 'DISABLED' },
      broken: { errorCode: 'PARSE_ERROR', errorDetails: 'bad config' },
    });
    expect(client.getBooleanDetails('missing', true)).toMatchObject({
      value: true,
      errorCode: ErrorCode.FLAG_NOT_FOUND,
    });
    expect(client.getNumberDetails('theme', 7)).toMatchObject({ value: 7, errorCode: ErrorCode.TYPE_MISMATCH });
    expect(client.getStringDetails('off', 'fallback')).toMatchObject({ value: 'fallback', reason: 'DISABLED' });
    expect(client.getStringDetails('off', 'fallback').errorCode).toBeUndefined();
    expect(client.getStringDetails('broken', 'x')).toMatchObject({ value: 'x', errorCode: ErrorCode.PARSE_ERROR });
  });

  it('when the context changes, then it reconciles with a new fetch for that context', async () => {
    const transport = new FakeTransport();
    const { client, domain } = await ready(transport, { plan: { value: 'free', reason: 'STATIC' } });
    const reconciling = vi.fn();
    client.addHandler(ClientProviderEvents.Reconciling, reconciling);
    const changing = OpenFeature.setContext(domain, { targetingKey: 'user-2' });
    await settle();
    expect(client.providerStatus).toBe(ProviderStatus.RECONCILING);
    expect(transport.fetches[0]?.context).toEqual({ targetingKey: 'user-2' });
    expect(transport.fetches[0]?.etag).toBeUndefined();
    transport.answer({ plan: { value: 'pro', reason: 'TARGETING_MATCH' } });
    await changing;
    expect(reconciling).toHaveBeenCalled();
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(client.getStringValue('plan', 'none')).toBe('pro');
  });

  it('when answers to overlapping context changes arrive out of order, then the older one is discarded', async () => {
    const transport = new FakeTransport();
    const { client, domain } = await ready(transport, { plan: { value: 'anonymous' } });
    const first = OpenFeature.setContext(domain, { targetingKey: 'alice' });
    const second = OpenFeature.setContext(domain, { targetingKey: 'bob' });
    await settle();
    const [alice, bob] = [transport.fetches[0], transport.fetches[1]];
    bob?.resolve({ changed: true, values: { plan: { value: 'bob-plan' } } });
    await settle();
    alice?.resolve({ changed: true, values: { plan: { value: 'alice-plan' } } });
    await Promise.all([first, second]);
    expect(client.getStringValue('plan', 'none')).toBe('bob-plan');
  });

  it('when the re-fetch for a new context fails, then the SDK shows ERROR, and READY once a retry succeeds', async () => {
    const transport = new FakeTransport();
    const { client, domain } = await ready(transport, { plan: { value: 'free' } }, { reconnectMinDelayMs: 10 });
    const changing = OpenFeature.setContext(domain, { targetingKey: 'user-2' });
    await settle();
    transport.fail(new SwitchyardHttpError(500, 'the relay answered 500'));
    await changing;
    expect(client.providerStatus).toBe(ProviderStatus.ERROR);
    await vi.waitFor(() => expect(transport.fetches).toHaveLength(1));
    expect(transport.fetches[0]?.context).toEqual({ targetingKey: 'user-2' });
    transport.answer({ plan: { value: 'pro' } });
    await vi.waitFor(() => expect(client.providerStatus).toBe(ProviderStatus.READY));
    expect(client.getStringValue('plan', 'none')).toBe('pro');
  });

  it('when the relay notifies a change, then it re-fetches conditionally and names the flags whose values changed', async () => {
    const transport = new FakeTransport();
    const { client } = await ready(transport, { a: { value: 1 }, b: { value: 2 } });
    const changed = vi.fn();
    client.addHandler(ClientProviderEvents.ConfigurationChanged, changed);
    transport.handlers?.onFlagsChanged(['a', 'b']);
    await settle();
    expect(transport.fetches[0]?.etag).toBe(JSON.stringify({ a: { value: 1 }, b: { value: 2 } }));
    transport.answer({ a: { value: 1 }, b: { value: 3 }, c: { value: 4 } });
    await settle();
    expect(changed).toHaveBeenCalledTimes(1);
    expect(changed.mock.calls[0]?.[0]?.flagsChanged).toEqual(['b', 'c']);
    expect(client.getNumberValue('b', 0)).toBe(3);
  });

  it('when the relay answers 304 to a re-fetch, then no change is announced', async () => {
    const transport = new FakeTransport();
    const { client } = await ready(transport, { a: { value: 1 } });
    const changed = vi.fn();
    client.addHandler(ClientProviderEvents.ConfigurationChanged, changed);
    transport.handlers?.onFlagsChanged(['a']);
    await settle();
    transport.answerUnchanged();
    await settle();
    expect(changed).not.toHaveBeenCalled();
    expect(client.getNumberValue('a', 0)).toBe(1);
  });

  it('when no websocket is available, then it polls at the configured interval', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const transport = new FakeTransport(false);
    const { client } = await ready(transport, { a: { value: 1 } }, { pollIntervalMs: 60_000 });
    vi.advanceTimersByTime(60_000);
    await settle();
    expect(transport.fetches).toHaveLength(1);
    transport.answer({ a: { value: 2 } });
    await settle();
    expect(client.getNumberValue('a', 0)).toBe(2);
  });

  it('when the relay rejects the key on the websocket, then the provider is fatal and stops', async () => {
    const transport = new FakeTransport();
    const { client } = await ready(transport, { a: { value: 1 } });
    transport.handlers?.onClose(true);
    await settle();
    expect(client.providerStatus).toBe(ProviderStatus.FATAL);
    expect(transport.streamClosed).toBe(true);
    transport.handlers?.onFlagsChanged(['a']);
    await settle();
    expect(transport.fetches).toHaveLength(0);
  });

  it('when the websocket drops and reconnects, then the provider goes STALE and back to READY after a re-fetch', async () => {
    const transport = new FakeTransport();
    const { client } = await ready(transport, { a: { value: 1 } });
    transport.handlers?.onClose(false);
    await settle();
    expect(client.providerStatus).toBe(ProviderStatus.STALE);
    transport.handlers?.onOpen();
    await settle();
    transport.answerUnchanged();
    await settle();
    expect(client.providerStatus).toBe(ProviderStatus.READY);
  });

  it('when the relay stays away, then STALE at once, ERROR after errorAfterMs with evaluations going on, READY when values arrive', async () => {
    const transport = new FakeTransport();
    const { provider, client } = await ready(transport, { a: { value: 1 } }, { errorAfterMs: 5_000 });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const errors = vi.fn();
    provider.events.addHandler(ClientProviderEvents.Error, errors);
    transport.handlers?.onClose(false);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(client.providerStatus).toBe(ProviderStatus.STALE);
    expect(errors).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(client.providerStatus).toBe(ProviderStatus.ERROR);
    expect(errors).toHaveBeenCalledWith(
      expect.objectContaining({ errorCode: ErrorCode.GENERAL, message: expect.stringMatching(/5000 ms/) }),
    );
    expect(client.getNumberValue('a', 0)).toBe(1);
    transport.handlers?.onOpen();
    await vi.advanceTimersByTimeAsync(0);
    transport.answerUnchanged();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.providerStatus).toBe(ProviderStatus.READY);
  });

  it('when the relay is back within staleAfterMs, then neither STALE nor ERROR is reported', async () => {
    const transport = new FakeTransport();
    const { provider, client } = await ready(transport, { a: { value: 1 } }, { staleAfterMs: 1_000 });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const reported = vi.fn();
    provider.events.addHandler(ClientProviderEvents.Stale, reported);
    provider.events.addHandler(ClientProviderEvents.Error, reported);
    transport.handlers?.onClose(false);
    await vi.advanceTimersByTimeAsync(900);
    transport.handlers?.onOpen();
    await vi.advanceTimersByTimeAsync(0);
    transport.answerUnchanged();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(reported).not.toHaveBeenCalled();
    expect(client.providerStatus).toBe(ProviderStatus.READY);
  });

  it('when the SDK already shows ERROR (the first fetch failed) and a re-fetch fails too, then it stays ERROR, not STALE', async () => {
    const transport = new FakeTransport();
    const domain = `test-${++domainCounter}`;
    const provider = new SwitchyardWebProvider({ ...options, reconnectMinDelayMs: 60_000 }, transport);
    const waiting = OpenFeature.setProviderAndWait(domain, provider);
    await settle();
    transport.fail(new SwitchyardTransportError('request to the relay failed'));
    await expect(waiting).rejects.toBeDefined();
    const stale = vi.fn();
    provider.events.addHandler(ClientProviderEvents.Stale, stale);
    transport.handlers?.onOpen();
    await settle();
    transport.fail(new SwitchyardTransportError('request to the relay failed'));
    await settle();
    expect(stale).not.toHaveBeenCalled();
    expect(OpenFeature.getClient(domain).providerStatus).toBe(ProviderStatus.ERROR);
  });

  it('when errorAfterMs is shorter than staleAfterMs, then the constructor says so', () => {
    expect(() => new SwitchyardWebProvider({ ...options, staleAfterMs: 10_000, errorAfterMs: 5_000 })).toThrow(
      /errorAfterMs must not be shorter than staleAfterMs/,
    );
  });

  it('when the relay is unreachable at start, then the SDK shows ERROR, and READY once a retry succeeds', async () => {
    const transport = new FakeTransport(false);
    const domain = `test-${++domainCounter}`;
    const waiting = OpenFeature.setProviderAndWait(
      domain,
      new SwitchyardWebProvider({ ...options, reconnectMinDelayMs: 10 }, transport),
    );
    await settle();
    transport.fail(new SwitchyardTransportError('request to the relay failed'));
    await expect(waiting).rejects.toBeDefined();
    const client = OpenFeature.getClient(domain);
    expect(client.providerStatus).toBe(ProviderStatus.ERROR);
    const changed = vi.fn();
    client.addHandler(ClientProviderEvents.ConfigurationChanged, changed);
    await vi.waitFor(() => expect(transport.fetches).toHaveLength(1));
    transport.answer({ a: { value: 1 } });
    await vi.waitFor(() => expect(client.providerStatus).toBe(ProviderStatus.READY));
    expect(client.getNumberValue('a', 0)).toBe(1);
    // Nothing was known before: flagsChanged is omitted rather than guessed.
    await vi.waitFor(() => expect(changed).toHaveBeenCalled());
    expect(changed.mock.calls[0]?.[0]).not.toHaveProperty('flagsChanged');
  });

  it('when the initial fetch is unauthorized, then the provider is fatal', async () => {
    const transport = new FakeTransport();
    const domain = `test-${++domainCounter}`;
    const waiting = OpenFeature.setProviderAndWait(domain, new SwitchyardWebProvider(options, transport));
    await settle();
    transport.fail(new SwitchyardUnauthorizedError(401, 'the relay answered 401'));
    await expect(waiting).rejects.toBeDefined();
    expect(OpenFeature.getClient(domain).providerStatus).toBe(ProviderStatus.FATAL);
  });

  it('when flags are evaluated and events tracked, then closing sends them as one usage batch', async () => {
    const transport = new FakeTransport();
    const { client } = await ready(transport, { a: { value: true, variant: 'on', enabled: true } });
    client.getBooleanValue('a', false);
    client.getBooleanValue('a', false);
    client.getBooleanValue('nope', false);
    client.track('checkout', { value: 42, currency: 'EUR', flagName: 'a' });
    await OpenFeature.clearProviders();
    expect(transport.usage).toHaveLength(1);
    const [batch] = transport.usage;
    expect(batch?.evaluations).toEqual([
      expect.objectContaining({ flagName: 'a', variant: 'on', enabled: true, count: 2, userIds: ['user-1'] }),
    ]);
    expect(batch?.errors).toEqual([
      expect.objectContaining({ flagName: 'nope', errorCode: 'FLAG_NOT_FOUND', count: 1 }),
    ]);
    expect(batch?.events).toEqual([
      expect.objectContaining({
        name: 'checkout',
        userId: 'user-1',
        value: 42,
        flagName: 'a',
        variant: 'on',
        metadata: { currency: 'EUR' },
      }),
    ]);
  });
});

describe('SwitchyardWebProvider attribution of outcomes that name no flag', () => {
  it('when the page tracks an outcome without a flag name, then it counts for each flag with variants the user was served, for that variant', async () => {
    const transport = new FakeTransport();
    const { client } = await ready(transport, {
      checkout: { value: 'green', variant: 'treatment', enabled: true },
      theme: { value: 'dark', variant: 'dark', enabled: true },
      plain: { value: true, variant: 'on', enabled: true, reservedVariant: true },
      unseen: { value: 'x', variant: 'x', enabled: true },
    });
    client.getStringValue('checkout', 'blue');
    client.getStringValue('theme', 'light');
    client.getBooleanValue('plain', false);
    client.track('purchase', { value: 10 });
    await OpenFeature.clearProviders();
    const events = transport.usage.flatMap((batch) => batch.events ?? []);
    expect(events.map(({ userId, flagName, variant, value }) => ({ userId, flagName, variant, value }))).toEqual([
      { userId: 'user-1', flagName: 'checkout', variant: 'treatment', value: 10 },
      { userId: 'user-1', flagName: 'theme', variant: 'dark', value: 10 },
    ]);
  });

  it('when the window has passed since the user was served, then the outcome stays unattributed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const transport = new FakeTransport();
    const { client } = await ready(
      transport,
      { checkout: { value: 'green', variant: 'treatment', enabled: true } },
      { usageAttributionWindowMs: 1_000 },
    );
    client.getStringValue('checkout', 'blue');
    vi.setSystemTime(Date.now() + 1_001);
    client.track('purchase');
    await OpenFeature.clearProviders();
    expect(transport.usage.flatMap((batch) => batch.events ?? []).map((event) => event.flagName)).toEqual([undefined]);
  });
});

describe('SwitchyardWebProvider after onClose', () => {
  it('when a re-fetch is still running at close, then it is aborted and its failure neither emits STALE nor retries', async () => {
    const transport = new FakeTransport();
    const { provider } = await ready(transport, { a: { value: 1 } }, { reconnectMinDelayMs: 10 });
    const stale = vi.fn();
    const errors = vi.fn();
    provider.events.addHandler(ClientProviderEvents.Stale, stale);
    provider.events.addHandler(ClientProviderEvents.Error, errors);
    transport.handlers?.onFlagsChanged(['a']);
    await settle();
    const running = transport.fetches[0];
    expect(running?.signal?.aborted).toBe(false);
    await OpenFeature.clearProviders();
    expect(running?.signal?.aborted).toBe(true);
    transport.fail(new SwitchyardTransportError('request to the relay failed: AbortError'));
    // 10× the retry delay: a retry would have fetched by now; its absence is what is tested.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stale).not.toHaveBeenCalled();
    expect(errors).not.toHaveBeenCalled();
    expect(transport.fetches).toHaveLength(0);
  });

  it('when a context change is still fetching at close, then its failure schedules no retry', async () => {
    const transport = new FakeTransport();
    const { provider, domain } = await ready(transport, { a: { value: 1 } }, { reconnectMinDelayMs: 10 });
    const changing = OpenFeature.setContext(domain, { targetingKey: 'user-2' });
    await settle();
    await provider.onClose();
    transport.fail(new SwitchyardTransportError('request to the relay failed: AbortError'));
    await changing;
    // 10× the retry delay: a retry would have fetched by now; its absence is what is tested.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(transport.fetches).toHaveLength(0);
  });
});

describe('SwitchyardWebProvider overlapping context changes', () => {
  it('when an older change answers after the newest one failed, then the SDK ends in ERROR, not READY', async () => {
    const transport = new FakeTransport();
    const { client, domain } = await ready(
      transport,
      { plan: { value: 'anonymous' } },
      { reconnectMinDelayMs: 60_000 },
    );
    const alice = OpenFeature.setContext(domain, { targetingKey: 'alice' });
    const bob = OpenFeature.setContext(domain, { targetingKey: 'bob' });
    await settle();
    const [aliceFetch, bobFetch] = [transport.fetches[0], transport.fetches[1]];
    bobFetch?.reject(new SwitchyardHttpError(503, 'the relay answered 503'));
    await settle();
    aliceFetch?.resolve({ changed: true, values: { plan: { value: 'alice-plan' } } });
    await Promise.all([alice, bob]);
    expect(client.providerStatus).toBe(ProviderStatus.ERROR);
    expect(client.getStringValue('plan', 'none')).not.toBe('alice-plan');
  });

  it('when an older change answers before the newest one, then READY waits for the newest answer', async () => {
    const transport = new FakeTransport();
    const { client, domain } = await ready(transport, { plan: { value: 'anonymous' } });
    const contextChanged = vi.fn();
    client.addHandler(ClientProviderEvents.ContextChanged, contextChanged);
    const alice = OpenFeature.setContext(domain, { targetingKey: 'alice' });
    const bob = OpenFeature.setContext(domain, { targetingKey: 'bob' });
    await settle();
    const [aliceFetch, bobFetch] = [transport.fetches[0], transport.fetches[1]];
    aliceFetch?.resolve({ changed: true, values: { plan: { value: 'alice-plan' } } });
    await settle();
    expect(client.providerStatus).toBe(ProviderStatus.RECONCILING);
    expect(contextChanged).not.toHaveBeenCalled();
    bobFetch?.resolve({ changed: true, values: { plan: { value: 'bob-plan' } } });
    await Promise.all([alice, bob]);
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(client.getStringValue('plan', 'none')).toBe('bob-plan');
  });

  it('when an older change fails after the newest one succeeded, then the SDK stays READY with the newest values', async () => {
    const transport = new FakeTransport();
    const { client, domain } = await ready(transport, { plan: { value: 'anonymous' } });
    const alice = OpenFeature.setContext(domain, { targetingKey: 'alice' });
    const bob = OpenFeature.setContext(domain, { targetingKey: 'bob' });
    await settle();
    const [aliceFetch, bobFetch] = [transport.fetches[0], transport.fetches[1]];
    bobFetch?.resolve({ changed: true, values: { plan: { value: 'bob-plan' } } });
    await settle();
    aliceFetch?.reject(new SwitchyardHttpError(503, 'the relay answered 503'));
    await Promise.all([alice, bob]);
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(client.getStringValue('plan', 'none')).toBe('bob-plan');
  });
});
