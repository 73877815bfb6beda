import { OpenFeature, type Client } from '@openfeature/server-sdk';
import { FeatureFlagService, SwitchyardProvider } from '@switchyard/openfeature-server';
import { HLL_RELATIVE_STANDARD_ERROR, HyperLogLog } from '@switchyard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniformDraw, type ExperimentAnswer } from '../support/experiment-support.js';
import { twoProportionPValue } from '../support/independent-statistics.js';
import { startRelay, type StartedRelay } from '../support/start-relay.js';
import { RelayAdmin } from './relay-admin.js';
import { eventually } from './wait-for.js';

/** 20,000 users over four rounds, each delivered (and seen by the relay) before the next starts: several flush intervals. */
const USERS = 20_000;
const ROUNDS = 4;
/** Conversion chance per arm, chosen so that each arm's converters stay below the relay's exact limit (1,000 per hour). */
const CONVERSION = { control: 0.06, treatment: 0.075 } as const;
type Arm = keyof typeof CONVERSION;

describe('an A/B test at scale through two server providers and the real relay', () => {
  let relay: StartedRelay;
  let admin: RelayAdmin;

  beforeAll(async () => {
    relay = await startRelay({ env: { SWITCHYARD_USAGE_FLUSH_INTERVAL_MS: '100' } });
    admin = new RelayAdmin(relay.url, relay.adminKey);
    await admin.createFlag({
      name: 'pricing-page',
      description: 'e2e experiment at scale',
      tags: [],
      type: 'string',
      variants: [
        { name: 'control', value: 'monthly', weight: 50 },
        { name: 'treatment', value: 'annual', weight: 50 },
      ],
      environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } },
    });
    await admin.createFlag({
      name: 'dark-footer',
      description: 'a plain on/off flag: not an experiment, gets no attributed outcomes',
      tags: [],
      type: 'boolean',
      variants: [],
      environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } },
    });
  }, 60_000);

  afterAll(async () => {
    await OpenFeature.clearProviders();
    await relay?.close();
  });

  it('when 20,000 users are served and some convert with track() naming no flag, then users, converters, rates and the p-value match what was recorded', async () => {
    const { key } = await admin.createKey('server', 'production');
    const clients: Client[] = [];
    for (const instance of ['instance-a', 'instance-b']) {
      await OpenFeature.setProviderAndWait(
        instance,
        new SwitchyardProvider({ relayUrl: relay.url, sdkKey: key, usage: { flushIntervalMs: 100 } }),
      );
      clients.push(OpenFeature.getClient(instance));
    }
    const users: Record<Arm, Set<string>> = { control: new Set(), treatment: new Set() };
    const converters: Record<Arm, Set<string>> = { control: new Set(), treatment: new Set() };
    let evaluations = 0;
    const perRound = USERS / ROUNDS;
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = round * perRound; i < (round + 1) * perRound; i++) {
        const context = { targetingKey: `user-${i}` };
        const client = clients[i % 2]!;
        const arm = (await client.getStringDetails('pricing-page', 'none', context)).variant as Arm;
        await client.getBooleanValue('dark-footer', false, context);
        evaluations += 1;
        users[arm].add(context.targetingKey);
        // Every tenth user also comes through the other instance: both send it, the relay counts it once.
        if (i % 10 === 0) {
          expect((await clients[(i + 1) % 2]!.getStringDetails('pricing-page', 'none', context)).variant).toBe(arm);
          evaluations += 1;
        }
        if (uniformDraw(i) < CONVERSION[arm]) {
          converters[arm].add(context.targetingKey);
          // Mostly the plain OpenFeature call; every fourth converter through the seed's trackFeatureUsage (names the flag).
          if (i % 4 === 0)
            new FeatureFlagService({ client }).trackFeatureUsage('pricing-page', context.targetingKey, 'conversion');
          else client.track('conversion', context, { value: 12 });
        }
      }
      // The round is delivered and counted before the next one starts.
      const expected = evaluations;
      await eventually(
        `round ${round + 1} at the relay`,
        async () => {
          const analytics = (await admin.analytics('pricing-page', { days: '1' })) as { totalEvaluations: number };
          return analytics.totalEvaluations === expected ? true : undefined;
        },
        30_000,
        100,
      );
    }
    await OpenFeature.clearProviders();
    const convertersTotal = converters.control.size + converters.treatment.size;

    const answer = await eventually(
      'every conversion at the relay',
      async () => {
        const report = await admin.request<ExperimentAnswer>(
          'GET',
          '/api/v1/feature-flags/pricing-page/experiment?environment=production',
        );
        const counted = report.arms.reduce((sum, arm) => sum + arm.converters, 0);
        return counted === convertersTotal ? report : undefined;
      },
      30_000,
      200,
    );

    expect(answer.status).toBe('ready');
    for (const armName of ['control', 'treatment'] as const) {
      const arm = answer.arms.find((entry) => entry.variant === armName)!;
      const trueUsers = users[armName].size;
      // Above the exact limits (1,000 ids per provider counter and per relay set), users are a HyperLogLog estimate.
      expect(arm.usersExact).toBe(false);
      expect(arm.countsExact).toBe(false);
      expect(Math.abs(arm.users - trueUsers) / trueUsers).toBeLessThan(3 * HLL_RELATIVE_STANDARD_ERROR);
      // Converters stay below the exact limit: exact.
      expect(arm.convertersExact).toBe(true);
      expect(arm.converters).toBe(converters[armName].size);
      expect(arm.conversionRate).toBe(arm.converters / arm.users);
    }
    const control = answer.arms.find((entry) => entry.variant === 'control')!;
    const treatment = answer.arms.find((entry) => entry.variant === 'treatment')!;
    const independent = twoProportionPValue(treatment.converters, treatment.users, control.converters, control.users);
    expect(Math.abs(treatment.comparison!.pValue - independent) / independent).toBeLessThan(1e-6);

    // Same sketch code on both sides: the relay's estimate is the one the test computes from the ids it served.
    const sketch = new HyperLogLog();
    for (const id of users.treatment) sketch.add(id);
    expect(treatment.users).toBe(sketch.estimate());

    // The plain on/off flag was served too, but is no experiment: no outcome was attributed to it.
    const footer = (await admin.analytics('dark-footer', { days: '1' })) as {
      outcomes: unknown[];
      totalEvaluations: number;
    };
    expect(footer.totalEvaluations).toBe(USERS);
    expect(footer.outcomes).toEqual([]);
  }, 180_000);
});
