import { InMemStorageProvider, Unleash, type Context } from 'unleash-client';
import { defineSystem, workloadFlags, type SystemUnderTest } from './system.js';
import { CONTROL, COUNTRIES_TARGETED, ENTERPRISE, TREATMENT } from './workloads.js';

const json = (value: object) => ({ type: 'json', value: JSON.stringify(value) });

const toggles: Record<'rollout' | 'targeting' | 'split', (key: string) => object> = {
  rollout: (key) => ({
    name: key,
    enabled: true,
    strategies: [{ name: 'flexibleRollout', parameters: { rollout: '25', stickiness: 'userId', groupId: key } }],
  }),
  targeting: (key) => ({
    name: key,
    enabled: true,
    strategies: [
      {
        name: 'default',
        parameters: {},
        constraints: [
          { contextName: 'country', operator: 'IN', values: COUNTRIES_TARGETED },
          { contextName: 'plan', operator: 'IN', values: ['premium'] },
        ],
      },
      {
        name: 'default',
        parameters: {},
        constraints: [{ contextName: 'email', operator: 'STR_CONTAINS', values: ['@company.com'] }],
      },
    ],
  }),
  split: (key) => ({
    name: key,
    enabled: true,
    strategies: [
      {
        name: 'default',
        parameters: {},
        constraints: [{ contextName: 'plan', operator: 'IN', values: ['enterprise'] }],
        variants: [{ name: 'enterprise', weight: 1000, stickiness: 'userId', payload: json(ENTERPRISE) }],
      },
      {
        name: 'flexibleRollout',
        parameters: { rollout: '100', stickiness: 'userId', groupId: key },
        variants: [
          { name: 'control', weight: 500, stickiness: 'userId', payload: json(CONTROL) },
          { name: 'treatment', weight: 500, stickiness: 'userId', payload: json(TREATMENT) },
        ],
      },
    ],
  }),
};

/** Unleash's Node SDK, offline: bootstrapped, no polling (refreshInterval 0), no metrics, no network. */
export async function unleashSystem(): Promise<SystemUnderTest> {
  const unleash = new Unleash({
    appName: 'switchyard-bench',
    url: 'http://127.0.0.1:9/api/',
    refreshInterval: 0,
    disableMetrics: true,
    skipInstanceCountWarning: true,
    storageProvider: new InMemStorageProvider(),
    bootstrap: { data: Object.values(workloadFlags(toggles)) as never },
  });
  unleash.on('error', () => undefined);
  unleash.on('warn', () => undefined);
  await new Promise<void>((resolve) => unleash.once('ready', () => resolve()));
  return defineSystem<Context>({
    name: 'Unleash',
    packageName: 'unleash-client',
    toContext: (u) => ({ userId: u.id, properties: { country: u.country, plan: u.plan, email: u.email } }),
    isOn: (ctx, key) => unleash.isEnabled(key, ctx),
    // The app needs the object: Unleash serves JSON payloads as strings, so parsing is part of its cost.
    objectValue: (ctx, key) => JSON.parse(unleash.getVariant(key, ctx).payload?.value ?? 'null'),
    close: () => unleash.destroy(),
  });
}
