import { FlagdCore } from '@openfeature/flagd-core';
import type { EvaluationContext } from '@openfeature/core';
import { defineSystem, workloadFlags, type SystemUnderTest } from './system.js';
import { CONTROL, COUNTRIES_TARGETED, ENTERPRISE, TREATMENT } from './workloads.js';

const booleanVariants = { on: true, off: false };

/** The workloads' flags in flagd's notation, by kind. */
export const flagdFlags: Record<'rollout' | 'targeting' | 'split', (key: string) => object> = {
  rollout: () => ({
    state: 'ENABLED',
    variants: booleanVariants,
    defaultVariant: 'off',
    targeting: {
      fractional: [
        ['on', 25],
        ['off', 75],
      ],
    },
  }),
  targeting: () => ({
    state: 'ENABLED',
    variants: booleanVariants,
    defaultVariant: 'off',
    targeting: {
      if: [
        {
          or: [
            { and: [{ in: [{ var: 'country' }, COUNTRIES_TARGETED] }, { '==': [{ var: 'plan' }, 'premium'] }] },
            { in: ['@company.com', { var: 'email' }] },
          ],
        },
        'on',
        'off',
      ],
    },
  }),
  split: () => ({
    state: 'ENABLED',
    variants: { control: CONTROL, treatment: TREATMENT, enterprise: ENTERPRISE },
    defaultVariant: 'control',
    targeting: {
      if: [
        { '==': [{ var: 'plan' }, 'enterprise'] },
        'enterprise',
        {
          fractional: [
            ['control', 50],
            ['treatment', 50],
          ],
        },
      ],
    },
  }),
};

export function flagdSystem(): SystemUnderTest {
  const core = new FlagdCore();
  core.setConfigurations(JSON.stringify({ flags: workloadFlags(flagdFlags) }));
  return defineSystem<EvaluationContext>({
    name: 'flagd-core',
    packageName: '@openfeature/flagd-core',
    toContext: (u) => ({ targetingKey: u.id, country: u.country, plan: u.plan, email: u.email }),
    isOn: (ctx, key) => core.resolveBooleanEvaluation(key, false, ctx).value,
    objectValue: (ctx, key) => core.resolveObjectEvaluation(key, {}, ctx).value,
  });
}
