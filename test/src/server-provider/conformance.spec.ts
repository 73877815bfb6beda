import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describeFeature, loadFeature } from '@amiceli/vitest-cucumber';
import {
  OpenFeature,
  ProviderStatus,
  type Client,
  type EvaluationContext,
  type EvaluationDetails,
  type FlagValue,
  type JsonObject,
} from '@openfeature/server-sdk';
import { SwitchyardProvider } from '@switchyard/openfeature-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startRelay, type StartedRelay } from '../support/start-relay.js';
import { CONTEXT_AWARE, toSwitchyardFlag, type SpecTestFlag } from './conformance-flags.js';
import { RelayAdmin } from './relay-admin.js';

/**
 * The OpenFeature specification's evaluation.feature (Appendix B) through our provider, against a
 * real relay loaded with the spec's test flags. The assets are read at test time from
 * SWITCHYARD_CONFORMANCE_DIR, else ../shared/conformance beside the repository, and never copied
 * into it. Without them the suite is skipped, with the reason in its name (and .ci/run warns).
 */
const CONFORMANCE_DIR = process.env.SWITCHYARD_CONFORMANCE_DIR ?? resolve(REPO_ROOT, '../shared/conformance');
const FEATURE_FILE = join(CONFORMANCE_DIR, 'evaluation.feature');
const FLAGS_FILE = join(CONFORMANCE_DIR, 'test-flags.json');
const ENVIRONMENT = 'production';
const DOMAIN = 'conformance';

if (!existsSync(FEATURE_FILE) || !existsSync(FLAGS_FILE)) {
  describe('OpenFeature conformance (evaluation.feature)', () => {
    it.skip(`skipped: the conformance assets are absent (${CONFORMANCE_DIR}; set SWITCHYARD_CONFORMANCE_DIR)`, () => {});
  });
} else {
  await defineConformanceSuite();
}

async function defineConformanceSuite(): Promise<void> {
  const feature = await loadFeature(FEATURE_FILE);
  let relay: StartedRelay;
  let client: Client;

  beforeAll(async () => {
    relay = await startRelay();
    const admin = new RelayAdmin(relay.url, relay.adminKey);
    const specFlags = JSON.parse(await readFile(FLAGS_FILE, 'utf8')) as Record<string, SpecTestFlag>;
    for (const [name, spec] of Object.entries({ ...specFlags, 'context-aware': CONTEXT_AWARE })) {
      await admin.createFlag(toSwitchyardFlag(name, spec, ENVIRONMENT));
    }
    const { key } = await admin.createKey('server', ENVIRONMENT);
    await OpenFeature.setProviderAndWait(DOMAIN, new SwitchyardProvider({ relayUrl: relay.url, sdkKey: key }));
    client = OpenFeature.getClient(DOMAIN);
  });

  afterAll(async () => {
    await OpenFeature.clearProviders();
    await relay?.close();
  });

  describeFeature(feature, ({ Background, Scenario }) => {
    let details: EvaluationDetails<FlagValue>;
    let context: EvaluationContext = {};
    let flagKey = '';

    Background(({ Given }) => {
      Given('a stable provider', () => {
        expect(client.providerStatus).toBe(ProviderStatus.READY);
        context = {};
      });
    });

    const expectObjectFields = (fields: string[], values: Array<string | number>) => {
      const value = details.value as JsonObject;
      fields.forEach((field, index) => {
        const expected = values[index];
        expect(value[field]).toEqual(expected === 'true' ? true : expected === 'false' ? false : expected);
      });
    };

    Scenario('Resolves boolean value', ({ When, Then }) => {
      When(
        'a boolean flag with key {string} is evaluated with default value {string}',
        async (_, key: string, fallback: string) => {
          details = await client.getBooleanDetails(key, fallback === 'true');
        },
      );
      Then('the resolved boolean value should be {string}', (_, expected: string) => {
        expect(details.value).toBe(expected === 'true');
      });
    });

    Scenario('Resolves string value', ({ When, Then }) => {
      When(
        'a string flag with key {string} is evaluated with default value {string}',
        async (_, key: string, fallback: string) => {
          details = await client.getStringDetails(key, fallback);
        },
      );
      Then('the resolved string value should be {string}', (_, expected: string) => {
        expect(details.value).toBe(expected);
      });
    });

    Scenario('Resolves integer value', ({ When, Then }) => {
      When(
        'an integer flag with key {string} is evaluated with default value {int}',
        async (_, key: string, fallback: number) => {
          details = await client.getNumberDetails(key, fallback);
        },
      );
      Then('the resolved integer value should be {int}', (_, expected: number) => {
        expect(details.value).toBe(expected);
      });
    });

    Scenario('Resolves float value', ({ When, Then }) => {
      When(
        'a float flag with key {string} is evaluated with default value {number}',
        async (_, key: string, fallback: number) => {
          details = await client.getNumberDetails(key, fallback);
        },
      );
      Then('the resolved float value should be {number}', (_, expected: number) => {
        expect(details.value).toBe(expected);
      });
    });

    Scenario('Resolves object value', ({ When, Then }) => {
      When('an object flag with key {string} is evaluated with a null default value', async (_, key: string) => {
        details = await client.getObjectDetails(key, null);
      });
      Then(
        'the resolved object value should be contain fields {string}, {string}, and {string}, with values {string}, {string} and {int}, respectively',
        (_, f1: string, f2: string, f3: string, v1: string, v2: string, v3: number) =>
          expectObjectFields([f1, f2, f3], [v1, v2, v3]),
      );
    });

    Scenario('Resolves boolean details', ({ When, Then }) => {
      When(
        'a boolean flag with key {string} is evaluated with details and default value {string}',
        async (_, key: string, fallback: string) => {
          details = await client.getBooleanDetails(key, fallback === 'true');
        },
      );
      Then(
        'the resolved boolean details value should be {string}, the variant should be {string}, and the reason should be {string}',
        (_, value: string, variant: string, reason: string) => {
          expect(details).toMatchObject({ value: value === 'true', variant, reason });
        },
      );
    });

    Scenario('Resolves string details', ({ When, Then }) => {
      When(
        'a string flag with key {string} is evaluated with details and default value {string}',
        async (_, key: string, fallback: string) => {
          details = await client.getStringDetails(key, fallback);
        },
      );
      Then(
        'the resolved string details value should be {string}, the variant should be {string}, and the reason should be {string}',
        (_, value: string, variant: string, reason: string) => {
          expect(details).toMatchObject({ value, variant, reason });
        },
      );
    });

    Scenario('Resolves integer details', ({ When, Then }) => {
      When(
        'an integer flag with key {string} is evaluated with details and default value {int}',
        async (_, key: string, fallback: number) => {
          details = await client.getNumberDetails(key, fallback);
        },
      );
      Then(
        'the resolved integer details value should be {int}, the variant should be {string}, and the reason should be {string}',
        (_, value: number, variant: string, reason: string) => {
          expect(details).toMatchObject({ value, variant, reason });
        },
      );
    });

    Scenario('Resolves float details', ({ When, Then }) => {
      When(
        'a float flag with key {string} is evaluated with details and default value {number}',
        async (_, key: string, fallback: number) => {
          details = await client.getNumberDetails(key, fallback);
        },
      );
      Then(
        'the resolved float details value should be {number}, the variant should be {string}, and the reason should be {string}',
        (_, value: number, variant: string, reason: string) => {
          expect(details).toMatchObject({ value, variant, reason });
        },
      );
    });

    Scenario('Resolves object details', ({ When, Then, And }) => {
      When(
        'an object flag with key {string} is evaluated with details and a null default value',
        async (_, key: string) => {
          details = await client.getObjectDetails(key, null);
        },
      );
      Then(
        'the resolved object details value should be contain fields {string}, {string}, and {string}, with values {string}, {string} and {int}, respectively',
        (_, f1: string, f2: string, f3: string, v1: string, v2: string, v3: number) =>
          expectObjectFields([f1, f2, f3], [v1, v2, v3]),
      );
      And('the variant should be {string}, and the reason should be {string}', (_, variant: string, reason: string) => {
        expect(details).toMatchObject({ variant, reason });
      });
    });

    Scenario('Resolves based on context', ({ When, And, Then }) => {
      When(
        'context contains keys {string}, {string}, {string}, {string} with values {string}, {string}, {int}, {string}',
        (_, k1: string, k2: string, k3: string, k4: string, v1: string, v2: string, v3: number, v4: string) => {
          // As the OpenFeature JS SDK's step does: the last value is a boolean written as text.
          context = { [k1]: v1, [k2]: v2, [k3]: v3, [k4]: v4 === 'true' };
        },
      );
      And(
        'a flag with key {string} is evaluated with default value {string}',
        async (_, key: string, fallback: string) => {
          flagKey = key;
          details = await client.getStringDetails(key, fallback, context);
        },
      );
      Then('the resolved string response should be {string}', (_, expected: string) => {
        expect(details.value).toBe(expected);
      });
      And('the resolved flag value is {string} when the context is empty', async (_, expected: string) => {
        expect(await client.getStringValue(flagKey, 'unexpected', {})).toBe(expected);
      });
    });

    Scenario('Flag not found', ({ When, Then, And }) => {
      let fallback = '';
      When(
        'a non-existent string flag with key {string} is evaluated with details and a fallback value {string}',
        async (_, key: string, value: string) => {
          fallback = value;
          details = await client.getStringDetails(key, value);
        },
      );
      Then('the default string value should be returned', () => {
        expect(details.value).toBe(fallback);
      });
      And(
        'the reason should indicate an error and the error code should indicate a missing flag with {string}',
        (_, code: string) => {
          expect(details).toMatchObject({ reason: 'ERROR', errorCode: code });
        },
      );
    });

    Scenario('Type error', ({ When, Then, And }) => {
      let fallback = 0;
      When(
        'a string flag with key {string} is evaluated as an integer, with details and a fallback value {int}',
        async (_, key: string, value: number) => {
          fallback = value;
          details = await client.getNumberDetails(key, value);
        },
      );
      Then('the default integer value should be returned', () => {
        expect(details.value).toBe(fallback);
      });
      And(
        'the reason should indicate an error and the error code should indicate a type mismatch with {string}',
        (_, code: string) => {
          expect(details).toMatchObject({ reason: 'ERROR', errorCode: code });
        },
      );
    });
  });
}
