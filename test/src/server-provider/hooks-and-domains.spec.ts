import {
  OpenFeature,
  ProviderEvents,
  type EvaluationDetails,
  type FlagValue,
  type Hook,
} from '@openfeature/server-sdk';
import type { Flag } from '@switchyard/core';
import { SwitchyardProvider } from '@switchyard/openfeature-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type StartedRelay } from '../support/start-relay.js';
import { RelayAdmin } from './relay-admin.js';
import { namesFlag, nextEvent } from './wait-for.js';

function flag(name: string, environments: Flag['environments']): Partial<Flag> & { name: string } {
  return { name, description: `e2e ${name}`, tags: ['e2e'], type: 'boolean', variants: [], environments };
}
const on = { enabled: true, rules: [], fallthrough: { serve: true } };
const off = { enabled: false, rules: [], fallthrough: { serve: true } };

describe('hooks and domains with SwitchyardProvider (OpenFeature spec sections 4 and 1.1.3)', () => {
  let relay: StartedRelay;
  let admin: RelayAdmin;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    relay = await startRelay();
    admin = new RelayAdmin(relay.url, relay.adminKey);
    await admin.createFlag(flag('staging-only', { staging: on, production: off }));
    await admin.createFlag({
      ...flag('beta-users', {
        '*': { enabled: true, rules: [{ strategy: 'user_list', userIds: ['user-1'] }], fallthrough: { serve: false } },
      }),
    });
    keys.production = (await admin.createKey('server', 'production')).key;
    keys.staging = (await admin.createKey('server', 'staging')).key;
  });

  afterEach(async () => {
    OpenFeature.clearHooks();
    await OpenFeature.clearProviders();
  });
  afterAll(() => relay?.close());

  const provider = (environment: string) =>
    new SwitchyardProvider({ relayUrl: relay.url, sdkKey: keys[environment]!, enableAnalytics: false });

  it('when hooks are registered on the API, the client and the invocation, then before runs API→client→invocation, after and finally in reverse', async () => {
    await OpenFeature.setProviderAndWait(provider('production'));
    const calls: string[] = [];
    const recording = (name: string): Hook => ({
      before: () => void calls.push(`${name}.before`),
      after: () => void calls.push(`${name}.after`),
      finally: () => void calls.push(`${name}.finally`),
    });
    OpenFeature.addHooks(recording('api'));
    const client = OpenFeature.getClient();
    client.addHooks(recording('client'));
    await client.getBooleanValue('beta-users', false, { targetingKey: 'user-1' }, { hooks: [recording('invocation')] });
    expect(calls).toEqual([
      'api.before',
      'client.before',
      'invocation.before',
      'invocation.after',
      'client.after',
      'api.after',
      'invocation.finally',
      'client.finally',
      'api.finally',
    ]);
  });

  it('when a before hook adds to the context, then the provider evaluates with it', async () => {
    await OpenFeature.setProviderAndWait(provider('production'));
    const client = OpenFeature.getClient();
    client.addHooks({ before: () => ({ targetingKey: 'user-1' }) });
    expect(await client.getBooleanValue('beta-users', false)).toBe(true);
  });

  it('when the provider reports an error, then error hooks get it, finally gets the details and the caller its default', async () => {
    await OpenFeature.setProviderAndWait(provider('production'));
    const errors: unknown[] = [];
    let finalDetails: EvaluationDetails<FlagValue> | undefined;
    const client = OpenFeature.getClient();
    client.addHooks({
      error: (_context, error) => void errors.push(error),
      finally: (_context, details) => void (finalDetails = details),
    });
    expect(await client.getStringValue('no-such-flag', 'fallback')).toBe('fallback');
    expect(errors).toEqual([expect.objectContaining({ code: 'FLAG_NOT_FOUND' })]);
    expect(finalDetails).toMatchObject({ value: 'fallback', errorCode: 'FLAG_NOT_FOUND', reason: 'ERROR' });
  });

  it('when providers for two environments are bound to two domains, then each client evaluates its own environment and unbound domains use the default', async () => {
    await OpenFeature.setProviderAndWait(provider('production'));
    await OpenFeature.setProviderAndWait('staging', provider('staging'));
    expect(await OpenFeature.getClient('staging').getBooleanValue('staging-only', false)).toBe(true);
    expect(await OpenFeature.getClient().getBooleanValue('staging-only', true)).toBe(false);
    expect(await OpenFeature.getClient('unbound-domain').getBooleanValue('staging-only', true)).toBe(false);
  });

  it('when a flag changes in one environment, then only the clients of that domain hear ConfigurationChanged', async () => {
    await OpenFeature.setProviderAndWait('prod', provider('production'));
    await OpenFeature.setProviderAndWait('staging', provider('staging'));
    const stagingHeard: string[][] = [];
    OpenFeature.getClient('staging').addHandler(
      ProviderEvents.ConfigurationChanged,
      (details) => void stagingHeard.push(details?.flagsChanged ?? []),
    );
    const prodHeard = nextEvent(
      OpenFeature.getClient('prod'),
      ProviderEvents.ConfigurationChanged,
      5_000,
      namesFlag('production-only'),
    );
    await admin.createFlag(flag('production-only', { production: on }));
    await prodHeard;
    // The staging stream got nothing to apply. It delivers changes in order: once it hears a later staging
    // change, a stray event for 'production-only' would already have arrived.
    const stagingHeardMarker = nextEvent(
      OpenFeature.getClient('staging'),
      ProviderEvents.ConfigurationChanged,
      5_000,
      namesFlag('staging-marker'),
    );
    await admin.createFlag(flag('staging-marker', { staging: on }));
    await stagingHeardMarker;
    expect(stagingHeard.flat()).not.toContain('production-only');
  });
});
