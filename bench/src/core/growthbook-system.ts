import { GrowthBookClient, type FeatureDefinition, type UserContext } from '@growthbook/growthbook';
import { defineSystem, workloadFlags, type SystemUnderTest } from './system.js';
import { CONTROL, COUNTRIES_TARGETED, ENTERPRISE, TREATMENT } from './workloads.js';

const features: Record<'rollout' | 'targeting' | 'split', (key: string) => FeatureDefinition> = {
  rollout: (key) => ({ defaultValue: false, rules: [{ force: true, coverage: 0.25, hashAttribute: 'id', seed: key }] }),
  targeting: () => ({
    defaultValue: false,
    rules: [
      { condition: { country: { $in: COUNTRIES_TARGETED }, plan: 'premium' }, force: true },
      { condition: { email: { $regex: '@company\\.com' } }, force: true },
    ],
  }),
  split: (key) => ({
    defaultValue: CONTROL,
    rules: [
      { condition: { plan: 'enterprise' }, force: ENTERPRISE },
      { key, variations: [CONTROL, TREATMENT], weights: [0.5, 0.5], hashAttribute: 'id', coverage: 1 },
    ],
  }),
};

/** GrowthBook's multi-user server client: one instance, a user context per evaluation (its fastest server path). */
export function growthbookSystem(): SystemUnderTest {
  const client = new GrowthBookClient({ disableCache: true });
  client.initSync({ payload: { features: workloadFlags(features) } });
  return defineSystem<UserContext>({
    name: 'GrowthBook',
    packageName: '@growthbook/growthbook',
    toContext: (u) => ({ attributes: { id: u.id, country: u.country, plan: u.plan, email: u.email } }),
    isOn: (ctx, key) => client.isOn(key, ctx),
    objectValue: (ctx, key) => client.evalFeature(key, ctx).value,
    close: () => client.destroy(),
  });
}
