import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  OpenFeature,
  type Client,
  type EvaluationContext,
  type EvaluationDetails,
  type FlagValue,
} from '@openfeature/server-sdk';
import { toUserContext, validateFlag, type Flag, type FlagValueType, type JsonValue } from '@switchyard/core';
import { SwitchyardProvider } from '@switchyard/openfeature-server';
import { SwitchyardWebProvider } from '@switchyard/openfeature-web';
import { OpenFeature as WebOpenFeature, type Client as WebClient } from '@openfeature/web-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startRelay, type StartedRelay } from '../support/start-relay.js';
import { RelayAdmin } from './relay-admin.js';
import { eventually } from './wait-for.js';

/**
 * Every shared evaluation vector gives its expected answer through the relay's evaluate endpoint,
 * the same answer through the server provider (local evaluation of the streamed configuration), and
 * through the web provider (values the relay evaluated over OFREP for the context).
 */
interface EvaluationVector {
  description: string;
  flag: Record<string, unknown> | null;
  environment: string;
  context: EvaluationContext;
  expected: { value?: JsonValue; variant?: string; enabled: boolean; reason: string; errorCode?: string };
}

interface Answer {
  value: JsonValue;
  variant: string | undefined;
  enabled: boolean;
  reason: string | undefined;
  errorCode: string | undefined;
}

/** Defaults no vector serves, so "no value, the caller's default" is told apart from a served value. */
const NO_VALUE: Record<FlagValueType, FlagValue> = {
  boolean: false,
  string: '\u0000no value',
  number: -987654.25,
  object: { '\u0000noValue': true },
};
const MISSING_FLAG = 'vector-flag-that-does-not-exist';

const vectors = JSON.parse(
  await readFile(join(REPO_ROOT, 'test/vectors/evaluation.json'), 'utf8'),
) as EvaluationVector[];
const environments = [...new Set(vectors.map((vector) => vector.environment))];
const flags = new Map<string, Flag>();
for (const vector of vectors) {
  if (vector.flag === null) continue;
  const validation = validateFlag(vector.flag);
  if (!validation.ok)
    throw new Error(`vector "${vector.description}": invalid flag ${JSON.stringify(validation.problems)}`);
  flags.set(validation.flag.name, validation.flag);
}
describe('shared evaluation vectors: the relay answers as expected and both providers agree', () => {
  let relay: StartedRelay;
  let admin: RelayAdmin;
  const clients = new Map<string, Client>();
  const webClients = new Map<string, WebClient>();

  beforeAll(async () => {
    relay = await startRelay({
      env: {
        SWITCHYARD_ENVIRONMENTS: [...new Set(['development', 'staging', 'production', ...environments])].join(','),
      },
    });
    admin = new RelayAdmin(relay.url, relay.adminKey);
    for (const flag of flags.values()) {
      const { version, createdAt, updatedAt, ...input } = flag;
      await admin.createFlag(input);
    }
    for (const environment of environments) {
      const { key } = await admin.createKey('server', environment);
      const provider = new SwitchyardProvider({ relayUrl: relay.url, sdkKey: key, enableAnalytics: false });
      await OpenFeature.setProviderAndWait(`vectors-${environment}`, provider);
      clients.set(environment, OpenFeature.getClient(`vectors-${environment}`));
      // Every flag configured for the environment has arrived through the stream.
      const expected = [...flags.values()].filter(
        (flag) => flag.environments[environment] ?? flag.environments['*'],
      ).length;
      await eventually(
        `${environment}: all flags streamed`,
        async () => ((provider.exportSnapshot()?.flags.length ?? 0) >= expected ? true : undefined),
        10_000,
      );
      const clientKey = await admin.createKey('client', environment);
      const webProvider = new SwitchyardWebProvider({
        relayUrl: relay.url,
        clientKey: clientKey.key,
        stream: false,
        usage: false,
      });
      await WebOpenFeature.setProviderAndWait(`vectors-${environment}`, webProvider);
      webClients.set(environment, WebOpenFeature.getClient(`vectors-${environment}`));
    }
  });

  afterAll(async () => {
    await OpenFeature.clearProviders();
    await WebOpenFeature.clearProviders();
    await relay?.close();
  });

  async function throughProvider(vector: EvaluationVector): Promise<Answer> {
    const client = clients.get(vector.environment)!;
    const name = vector.flag === null ? MISSING_FLAG : String(vector.flag.name);
    const type = flags.get(name)?.type ?? 'string';
    const fallback = NO_VALUE[type];
    let details: EvaluationDetails<FlagValue>;
    if (type === 'boolean') details = await client.getBooleanDetails(name, fallback as boolean, vector.context);
    else if (type === 'string') details = await client.getStringDetails(name, fallback as string, vector.context);
    else if (type === 'number') details = await client.getNumberDetails(name, fallback as number, vector.context);
    else details = await client.getObjectDetails(name, fallback as JsonValue, vector.context);
    const failed = details.errorCode !== undefined;
    const servedNothing = failed || (type !== 'boolean' && JSON.stringify(details.value) === JSON.stringify(fallback));
    return {
      value: servedNothing ? null : (details.value as JsonValue),
      variant: failed ? undefined : details.variant,
      enabled: details.flagMetadata.enabled === true,
      reason: details.reason,
      errorCode: details.errorCode,
    };
  }

  /**
   * Through the web provider, after the SDK re-fetched the values for the vector's context. OFREP
   * carries no `enabled` in the SDK's details and has no DEFAULT reason (it sends UNKNOWN), so those
   * two are compared as the protocol carries them.
   */
  async function throughWebProvider(vector: EvaluationVector): Promise<Omit<Answer, 'enabled'>> {
    const domain = `vectors-${vector.environment}`;
    await WebOpenFeature.setContext(domain, vector.context);
    const client = webClients.get(vector.environment)!;
    const name = vector.flag === null ? MISSING_FLAG : String(vector.flag.name);
    const type = flags.get(name)?.type ?? 'string';
    const fallback = NO_VALUE[type];
    let details: EvaluationDetails<FlagValue>;
    if (type === 'boolean') details = client.getBooleanDetails(name, fallback as boolean);
    else if (type === 'string') details = client.getStringDetails(name, fallback as string);
    else if (type === 'number') details = client.getNumberDetails(name, fallback as number);
    else details = client.getObjectDetails(name, fallback as JsonValue);
    const failed = details.errorCode !== undefined;
    const servedNothing = failed || (type !== 'boolean' && JSON.stringify(details.value) === JSON.stringify(fallback));
    return {
      value: servedNothing ? null : (details.value as JsonValue),
      variant: failed ? undefined : details.variant,
      reason: details.reason,
      errorCode: details.errorCode,
    };
  }

  function asOfrepCarriesIt({ enabled: _enabled, ...answer }: Answer): Omit<Answer, 'enabled'> {
    return { ...answer, reason: answer.reason === 'DEFAULT' ? 'UNKNOWN' : answer.reason };
  }

  async function throughRelay(vector: EvaluationVector): Promise<Answer> {
    const name = vector.flag === null ? MISSING_FLAG : String(vector.flag.name);
    const result = await admin.evaluate(
      name,
      toUserContext(vector.context as Parameters<typeof toUserContext>[0]),
      vector.environment,
    );
    const failed = result.errorCode !== undefined;
    return {
      // On an error OpenFeature hands the caller its default, whatever the engine had at hand.
      value: failed ? null : (result.value ?? null),
      variant: failed ? undefined : (result.variant ?? undefined),
      enabled: result.enabled,
      reason: result.reason,
      errorCode: result.errorCode ?? undefined,
    };
  }

  /**
   * The vector's expectation as the relay and the provider answer it. A flag not configured for
   * the environment is "not found" there for the relay and its stream alike, where the core alone
   * says DISABLED (docs/concepts.md#environments).
   */
  function expectedAnswer(vector: EvaluationVector): Answer {
    const flag = vector.flag === null ? undefined : flags.get(String(vector.flag.name));
    if (flag === undefined || (flag.environments[vector.environment] ?? flag.environments['*']) === undefined) {
      return { value: null, variant: undefined, enabled: false, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' };
    }
    const { value, variant, enabled, reason, errorCode } = vector.expected;
    const failed = errorCode !== undefined;
    return {
      value: failed ? null : (value ?? null),
      variant: failed ? undefined : variant,
      enabled,
      reason,
      errorCode,
    };
  }

  it.each(vectors.map((vector) => [vector.description, vector] as const))('%s', async (_description, vector) => {
    const relayAnswer = await throughRelay(vector);
    expect(relayAnswer).toEqual(expectedAnswer(vector));
    expect(await throughProvider(vector)).toEqual(relayAnswer);
    expect(await throughWebProvider(vector)).toEqual(asOfrepCarriesIt(relayAnswer));
  });
});
