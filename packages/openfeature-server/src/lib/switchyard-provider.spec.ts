import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, OpenFeature, ProviderEvents, ProviderStatus } from '@openfeature/server-sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { booleanFlag, variantFlag } from '../testing/flag-builders.js';
import { FakeTransport } from '../testing/fake-transport.js';
import { FLAGS, nextEvent, OPTIONS, readyClient, relayWithSnapshot } from '../testing/provider-fixtures.js';
import { SwitchyardProvider } from './switchyard-provider.js';

afterEach(async () => {
  vi.useRealTimers();
  await OpenFeature.clearProviders();
});

describe('initialize', () => {
  it('when the first snapshot arrives, then the client is READY and evaluates from it', async () => {
    const { client } = await readyClient(relayWithSnapshot());
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(await client.getBooleanValue('new-dashboard', false)).toBe(true);
    expect(await client.getStringValue('checkout-button', 'none')).toBe('green');
  });

  it('when initialize resolves, then READY reaches handlers exactly once', async () => {
    const transport = relayWithSnapshot();
    const provider = new SwitchyardProvider(OPTIONS, transport);
    const ready = vi.fn();
    OpenFeature.getClient('unit').addHandler(ProviderEvents.Ready, ready);
    await OpenFeature.setProviderAndWait('unit', provider);
    // A moment for a second READY to arrive: its absence is what is tested.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ready).toHaveBeenCalledTimes(1);
  });

  it('when the relay rejects the key, then initialize fails as PROVIDER_FATAL and says the key was rejected', async () => {
    const transport = new FakeTransport();
    transport.onOpen = (stream) => stream.fail({ status: 401, message: 'unknown or revoked API key' });
    const provider = new SwitchyardProvider(OPTIONS, transport);
    const failure = OpenFeature.setProviderAndWait('unit', provider);
    await expect(failure).rejects.toMatchObject({
      code: ErrorCode.PROVIDER_FATAL,
      message: expect.stringMatching(/rejected the server key/),
    });
    const client = OpenFeature.getClient('unit');
    expect(client.providerStatus).toBe(ProviderStatus.FATAL);
    const details = await client.getBooleanDetails('new-dashboard', false);
    expect(details).toMatchObject({ value: false, errorCode: ErrorCode.PROVIDER_FATAL });
  });

  it('when the key is a client key, then initialize fails at once as PROVIDER_FATAL saying a server key is needed', async () => {
    const transport = new FakeTransport();
    const provider = new SwitchyardProvider(OPTIONS, transport);
    transport.onOpen = (stream) =>
      stream.send({
        type: 'hello',
        protocolVersion: 1,
        role: 'client',
        environment: 'production',
        revision: 0,
        heartbeatIntervalMs: 30_000,
      });
    await expect(OpenFeature.setProviderAndWait('unit', provider)).rejects.toMatchObject({
      code: ErrorCode.PROVIDER_FATAL,
      message: expect.stringMatching(/^the key is a client key: SwitchyardProvider needs a server key/),
    });
    expect(OpenFeature.getClient('unit').providerStatus).toBe(ProviderStatus.FATAL);
  });

  it('when no configuration arrives within initTimeoutMs, then initialize fails with a clear error and recovers to READY later', async () => {
    const transport = new FakeTransport();
    const provider = new SwitchyardProvider({ ...OPTIONS, initTimeoutMs: 50 }, transport);
    await expect(OpenFeature.setProviderAndWait('unit', provider)).rejects.toThrow(/within initTimeoutMs \(50 ms\)/);
    const client = OpenFeature.getClient('unit');
    expect(client.providerStatus).toBe(ProviderStatus.ERROR);
    const ready = nextEvent(provider, ProviderEvents.Ready);
    transport.latest.snapshot(FLAGS);
    await ready;
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(await client.getBooleanValue('new-dashboard', false)).toBe(true);
  });

  it('when the relay cannot be reached and a bootstrap object is given, then it serves the bootstrap', async () => {
    const transport = new FakeTransport();
    transport.onOpen = (stream) => stream.fail({ message: 'ECONNREFUSED' });
    const { client, provider } = await readyClient(transport, {
      bootstrap: { environment: 'production', flags: [booleanFlag('from-bootstrap')] },
    });
    expect(await client.getBooleanValue('from-bootstrap', false)).toBe(true);
    const changed = nextEvent(provider, ProviderEvents.ConfigurationChanged);
    transport.onOpen = (stream) => stream.snapshot(FLAGS);
    expect((await changed).flagsChanged).toEqual(expect.arrayContaining(['from-bootstrap', 'new-dashboard']));
    expect(await client.getBooleanValue('from-bootstrap', false)).toBe(false);
  });

  it('when the relay cannot be reached and a bootstrap file is given, then it serves the file', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'switchyard-bootstrap-'));
    const file = join(directory, 'snapshot.json');
    await writeFile(file, JSON.stringify({ environment: 'production', flags: [booleanFlag('from-file')] }));
    const transport = new FakeTransport();
    transport.onOpen = (stream) => stream.fail({ message: 'ECONNREFUSED' });
    const { client } = await readyClient(transport, { bootstrap: file });
    expect(await client.getBooleanValue('from-file', false)).toBe(true);
  });

  it('when the relay cannot be reached and the bootstrap file is invalid, then initialize fails naming the problem', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'switchyard-bootstrap-'));
    const file = join(directory, 'snapshot.json');
    await writeFile(
      file,
      JSON.stringify({ environment: 'production', flags: [{ name: 'Not Kebab', environments: {} }] }),
    );
    const transport = new FakeTransport();
    transport.onOpen = (stream) => stream.fail({ message: 'ECONNREFUSED' });
    const provider = new SwitchyardProvider({ ...OPTIONS, bootstrap: file }, transport);
    await expect(OpenFeature.setProviderAndWait('unit', provider)).rejects.toThrow(
      /ECONNREFUSED.*snapshot\.json\.flags\[0\]/,
    );
  });

  it('when the provider is closed before it is ready, then initialize fails instead of hanging', async () => {
    const provider = new SwitchyardProvider(OPTIONS, new FakeTransport());
    const initializing = provider.initialize();
    await provider.onClose();
    await expect(initializing).rejects.toThrow(/closed before it was ready/);
  });

  it('when initialize is running, then no event is emitted by the provider', async () => {
    const transport = relayWithSnapshot();
    const provider = new SwitchyardProvider(OPTIONS, transport);
    const emitted: string[] = [];
    for (const event of Object.values(ProviderEvents)) provider.events.addHandler(event, () => emitted.push(event));
    await provider.initialize();
    expect(emitted).toEqual([]);
    await provider.onClose();
  });
});

describe('evaluation', () => {
  it('when flags of each type are evaluated with the matching call, then their values are served', async () => {
    const { client } = await readyClient(relayWithSnapshot());
    expect(await client.getNumberValue('page-size', 0)).toBe(100);
    expect(await client.getObjectValue('layout', {})).toEqual({ columns: 3 });
    expect(await client.getBooleanValue('old-banner', true)).toBe(false);
    expect(await client.getBooleanValue('beta-users', false, { targetingKey: 'user-1' })).toBe(true);
    expect(await client.getBooleanValue('beta-users', true, { targetingKey: 'user-2' })).toBe(false);
  });

  it('when a flag is evaluated as another type, then TYPE_MISMATCH and the default value', async () => {
    const { client } = await readyClient(relayWithSnapshot());
    const details = await client.getNumberDetails('checkout-button', 13);
    expect(details).toMatchObject({ value: 13, reason: 'ERROR', errorCode: ErrorCode.TYPE_MISMATCH });
  });

  it('when a flag does not exist, then FLAG_NOT_FOUND and the default value', async () => {
    const { client } = await readyClient(relayWithSnapshot());
    const details = await client.getStringDetails('missing', 'fallback');
    expect(details).toMatchObject({ value: 'fallback', reason: 'ERROR', errorCode: ErrorCode.FLAG_NOT_FOUND });
  });

  it('when a percentage flag is evaluated without a targeting key, then TARGETING_KEY_MISSING and the default value', async () => {
    const { client } = await readyClient(relayWithSnapshot());
    const details = await client.getBooleanDetails('half-rollout', true);
    expect(details).toMatchObject({ value: true, errorCode: ErrorCode.TARGETING_KEY_MISSING });
  });

  it('when a flag from the relay cannot be used (a rule names a missing variant), then PARSE_ERROR and the default value', async () => {
    const broken = variantFlag('broken-button', { control: 'blue' }, 'control');
    broken.environments['production']!.rules = [{ strategy: 'user_list', userIds: ['user-1'], variant: 'missing' }];
    const { client } = await readyClient(relayWithSnapshot([...FLAGS, broken]));
    const details = await client.getStringDetails('broken-button', 'fallback', { targetingKey: 'user-1' });
    expect(details).toMatchObject({ value: 'fallback', reason: 'ERROR', errorCode: ErrorCode.PARSE_ERROR });
  });

  it('when flags are evaluated many times, then no request is made (evaluation is local)', async () => {
    const transport = relayWithSnapshot();
    const { client } = await readyClient(transport, { enableAnalytics: false });
    for (let i = 0; i < 1_000; i++) await client.getBooleanValue('beta-users', false, { targetingKey: `user-${i}` });
    expect(transport.streams).toHaveLength(1);
    expect(transport.batches).toHaveLength(0);
  });

  it('when a flag is served, then its variant, reason and enabled are in the details', async () => {
    const { client } = await readyClient(relayWithSnapshot());
    const details = await client.getStringDetails('checkout-button', 'none');
    expect(details).toMatchObject({
      value: 'green',
      variant: 'treatment',
      flagMetadata: { enabled: true, environment: 'production' },
    });
    expect(details.errorCode).toBeUndefined();
  });
});

describe('changes', () => {
  it('when the relay sends changes, then ConfigurationChanged names the changed flags and evaluations follow', async () => {
    const transport = relayWithSnapshot();
    const { client, provider } = await readyClient(transport);
    const changed = nextEvent(provider, ProviderEvents.ConfigurationChanged);
    transport.latest.changes(
      [
        { kind: 'upsert', revision: 11, flag: booleanFlag('new-dashboard', false, 2) },
        { kind: 'delete', revision: 12, flagName: 'old-banner' },
      ],
      12,
    );
    expect((await changed).flagsChanged).toEqual(['new-dashboard', 'old-banner']);
    expect(await client.getBooleanValue('new-dashboard', true)).toBe(false);
    expect((await client.getBooleanDetails('old-banner', true)).errorCode).toBe(ErrorCode.FLAG_NOT_FOUND);
  });
});

describe('losing the relay', () => {
  it('when the relay goes away, then evaluations go on, STALE after staleAfterMs, ERROR after errorAfterMs, READY and resumed with since when back', async () => {
    vi.useFakeTimers();
    const transport = relayWithSnapshot();
    const { client, provider } = await readyClient(transport);
    transport.onOpen = (stream) => stream.fail({ message: 'ECONNREFUSED' });
    transport.latest.fail({ code: 1001, message: 'relay shutting down' });

    await vi.advanceTimersByTimeAsync(999);
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    await vi.advanceTimersByTimeAsync(1);
    expect(client.providerStatus).toBe(ProviderStatus.STALE);
    expect(await client.getBooleanValue('new-dashboard', false)).toBe(true);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(client.providerStatus).toBe(ProviderStatus.ERROR);
    expect(await client.getBooleanValue('new-dashboard', false)).toBe(true);

    const ready = nextEvent(provider, ProviderEvents.Ready);
    transport.onOpen = (stream) => {
      stream.hello('production', 13);
      stream.changes([{ kind: 'upsert', revision: 13, flag: booleanFlag('new-dashboard', false, 2) }], 13);
    };
    await vi.advanceTimersByTimeAsync(200);
    await ready;
    expect(transport.latest.since).toBe(10);
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(await client.getBooleanValue('new-dashboard', true)).toBe(false);
  });

  it('when the relay comes back within staleAfterMs, then no STALE is reported', async () => {
    vi.useFakeTimers();
    const transport = relayWithSnapshot();
    const { client, provider } = await readyClient(transport);
    const stale = vi.fn();
    provider.events.addHandler(ProviderEvents.Stale, stale);
    transport.onOpen = (stream) => {
      stream.hello('production', 10);
      stream.changes([], 10);
    };
    transport.latest.fail();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(stale).not.toHaveBeenCalled();
    expect(client.providerStatus).toBe(ProviderStatus.READY);
  });

  it('when a reconnect is refused with 4401, then the provider is FATAL', async () => {
    const transport = relayWithSnapshot();
    const { client, provider } = await readyClient(transport);
    const error = nextEvent(provider, ProviderEvents.Error);
    transport.latest.fail({ code: 4401, message: 'key revoked' });
    expect(await error).toMatchObject({
      errorCode: ErrorCode.PROVIDER_FATAL,
      message: expect.stringMatching(/rejected the server key/),
    });
    expect(client.providerStatus).toBe(ProviderStatus.FATAL);
  });
});

describe('evaluateAll', () => {
  it('when every flag is evaluated for one context, then each answer is what evaluating that flag alone gives', async () => {
    const { provider, client } = await readyClient(relayWithSnapshot());
    const context = { targetingKey: 'user-1' };
    const all = provider.evaluateAll(context);
    expect(Object.keys(all).sort()).toEqual(FLAGS.map((flag) => flag.name).sort());
    for (const flag of FLAGS) {
      const details = {
        boolean: () => client.getBooleanDetails(flag.name, false, context),
        string: () => client.getStringDetails(flag.name, '', context),
        number: () => client.getNumberDetails(flag.name, 0, context),
        object: () => client.getObjectDetails(flag.name, {}, context),
      }[flag.type];
      const alone = await details();
      expect({ value: all[flag.name]!.value, variant: all[flag.name]!.variant }, flag.name).toEqual({
        value: alone.value,
        variant: alone.variant,
      });
    }
  });

  it('when the provider has no configuration yet, then it throws PROVIDER_NOT_READY', () => {
    const provider = new SwitchyardProvider(OPTIONS, new FakeTransport());
    expect(() => provider.evaluateAll({})).toThrow(expect.objectContaining({ code: ErrorCode.PROVIDER_NOT_READY }));
  });
});
