import { OpenFeature } from '@openfeature/server-sdk';
import { SwitchyardProvider } from '@switchyard/openfeature-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type StartedRelay } from '../support/start-relay.js';
import { RelayAdmin } from './relay-admin.js';
import { eventually } from './wait-for.js';

interface FlagAnalytics {
  totalEvaluations: number;
  enabledCount: number;
  uniqueUsers: number;
  errors: Record<string, number>;
  variants: Array<{ variant: string; evaluations: number }>;
  outcomes: Array<{ outcome: string; count: number; byVariant: Array<{ variant: string; count: number }> }>;
}

describe('usage tracked by the provider reaches the relay analytics', () => {
  let relay: StartedRelay;
  let admin: RelayAdmin;

  beforeAll(async () => {
    relay = await startRelay({ env: { SWITCHYARD_USAGE_FLUSH_INTERVAL_MS: '200' } });
    admin = new RelayAdmin(relay.url, relay.adminKey);
    await admin.createFlag({
      name: 'new-dashboard',
      description: 'e2e usage',
      tags: [],
      type: 'boolean',
      variants: [],
      environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } },
    });
  });

  afterAll(async () => {
    await OpenFeature.clearProviders();
    await relay?.close();
  });

  it('when a service evaluates and tracks, then evaluation counts, unique users, error counts and outcomes appear in analytics', async () => {
    const { key } = await admin.createKey('server', 'production');
    await OpenFeature.setProviderAndWait(
      'usage',
      new SwitchyardProvider({ relayUrl: relay.url, sdkKey: key, usage: { flushIntervalMs: 200 } }),
    );
    const client = OpenFeature.getClient('usage');
    for (const user of ['u1', 'u2', 'u3', 'u4', 'u5']) {
      expect(await client.getBooleanValue('new-dashboard', false, { targetingKey: user })).toBe(true);
    }
    await client.getStringValue('new-dashboard', 'wrong type', { targetingKey: 'u1' });
    await client.getStringValue('new-dashboard', 'wrong type', { targetingKey: 'u2' });
    client.track('conversion', { targetingKey: 'u1' }, { flagName: 'new-dashboard', value: 99.99, page: 'checkout' });
    client.track('conversion', { targetingKey: 'u2' }, { flagName: 'new-dashboard', value: 10 });
    // Closing flushes what the provider still holds.
    await OpenFeature.clearProviders();

    const analytics = await eventually(
      'usage to show up in analytics',
      async () => {
        const report = (await admin.analytics('new-dashboard', {
          environment: 'production',
          days: '1',
        })) as unknown as FlagAnalytics;
        const conversions = report.outcomes.find((outcome) => outcome.outcome === 'conversion')?.count ?? 0;
        return report.totalEvaluations >= 5 && conversions >= 2 && (report.errors.TYPE_MISMATCH ?? 0) >= 2
          ? report
          : undefined;
      },
      20_000,
      250,
    );
    expect(analytics).toMatchObject({
      totalEvaluations: 5,
      enabledCount: 5,
      uniqueUsers: 5,
      errors: { TYPE_MISMATCH: 2 },
    });
    expect(analytics.outcomes).toEqual([expect.objectContaining({ outcome: 'conversion', count: 2 })]);
  });

  it('when users of an A/B test convert, then evaluations and conversions are counted per served variant', async () => {
    await admin.createFlag({
      name: 'checkout-button-test',
      description: 'e2e experiment',
      tags: [],
      type: 'object',
      variants: [
        { name: 'control', value: { color: 'blue' }, weight: 50 },
        { name: 'treatment', value: { color: 'green' }, weight: 50 },
      ],
      environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } },
    });
    const { key } = await admin.createKey('server', 'production');
    await OpenFeature.setProviderAndWait('experiment', new SwitchyardProvider({ relayUrl: relay.url, sdkKey: key }));
    const client = OpenFeature.getClient('experiment');
    const served = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      const context = { targetingKey: `buyer-${i}` };
      const details = await client.getObjectDetails('checkout-button-test', {}, context);
      served.set(details.variant!, (served.get(details.variant!) ?? 0) + 1);
      // Every user converts; the provider attributes each outcome to the variant that user is served.
      client.track('conversion', context, { flagName: 'checkout-button-test' });
    }
    await OpenFeature.clearProviders();

    const analytics = await eventually(
      'experiment usage to show up in analytics',
      async () => {
        const report = (await admin.analytics('checkout-button-test', {
          environment: 'production',
          days: '1',
        })) as unknown as FlagAnalytics;
        return report.totalEvaluations >= 40 && (report.outcomes[0]?.count ?? 0) >= 40 ? report : undefined;
      },
      20_000,
      250,
    );
    const evaluations = Object.fromEntries(analytics.variants.map((entry) => [entry.variant, entry.evaluations]));
    const conversions = Object.fromEntries(
      analytics.outcomes[0]!.byVariant.map((entry) => [entry.variant, entry.count]),
    );
    expect(evaluations).toEqual(Object.fromEntries(served));
    expect(conversions).toEqual(Object.fromEntries(served));
  });

  it('when 500 conversions with 2500-byte metadata exceed the relay body limit together, then every one arrives (bounded batches, nothing dropped)', async () => {
    await admin.createFlag({
      name: 'big-batches',
      description: 'e2e batch bounds',
      tags: [],
      type: 'boolean',
      variants: [],
      environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } },
    });
    const { key } = await admin.createKey('server', 'production');
    const problems: string[] = [];
    const logger = {
      error: (message: string) => void problems.push(message),
      warn: (message: string) => void problems.push(message),
      info: () => {},
      debug: () => {},
    };
    await OpenFeature.setProviderAndWait(
      'big-batches',
      new SwitchyardProvider({ relayUrl: relay.url, sdkKey: key, logger }),
    );
    const client = OpenFeature.getClient('big-batches');
    for (let i = 0; i < 500; i++) {
      const context = { targetingKey: `buyer-${i}` };
      await client.getBooleanValue('big-batches', false, context);
      // Together about 1.3 MB of JSON: more than the relay's default SWITCHYARD_USAGE_MAX_BODY_BYTES (1 MiB).
      client.track('conversion', context, { flagName: 'big-batches', note: 'x'.repeat(2500) });
    }
    await OpenFeature.clearProviders();

    const analytics = await eventually(
      'large usage to show up in analytics',
      async () => {
        const report = (await admin.analytics('big-batches', {
          environment: 'production',
          days: '1',
        })) as unknown as FlagAnalytics;
        return report.totalEvaluations >= 500 && (report.outcomes[0]?.count ?? 0) >= 500 ? report : undefined;
      },
      20_000,
      250,
    );
    expect(analytics.totalEvaluations).toBe(500);
    expect(analytics.uniqueUsers).toBe(500);
    expect(analytics.outcomes).toEqual([expect.objectContaining({ outcome: 'conversion', count: 500 })]);
    expect(problems).toEqual([]);
  });
});
