import * as switchyardCore from '@switchyard/core';
import { validateFlag, type EvaluationContext, type Flag } from '@switchyard/core';
import { defineSystem, workloadFlags, type SystemUnderTest } from './system.js';
import { CONTROL, COUNTRIES_TARGETED, ENTERPRISE, TREATMENT } from './workloads.js';

const ENV = 'production';

const live = (rules: object[], fallthrough: object) => ({ [ENV]: { enabled: true, rules, fallthrough } });

/** The workloads' flags in Switchyard's notation, by kind. */
export const switchyardFlagInputs: Record<'rollout' | 'targeting' | 'split', (key: string) => object> = {
  rollout: (name) => ({
    name,
    type: 'boolean',
    environments: live([{ strategy: 'percentage', percentage: 25 }], { serve: false }),
  }),
  targeting: (name) => ({
    name,
    type: 'boolean',
    environments: live(
      [
        {
          strategy: 'user_attribute',
          targetingRules: [
            { attribute: 'country', operator: 'in', values: COUNTRIES_TARGETED },
            { attribute: 'plan', operator: 'equals', values: ['premium'] },
          ],
        },
        {
          strategy: 'user_attribute',
          targetingRules: [{ attribute: 'email', operator: 'contains', values: ['@company.com'] }],
        },
      ],
      { serve: false },
    ),
  }),
  split: (name) => ({
    name,
    type: 'object',
    variants: [
      { name: 'control', value: CONTROL, weight: 50 },
      { name: 'treatment', value: TREATMENT, weight: 50 },
      { name: 'enterprise', value: ENTERPRISE, weight: 0 },
    ],
    environments: live(
      [
        {
          strategy: 'user_attribute',
          targetingRules: [{ attribute: 'plan', operator: 'equals', values: ['enterprise'] }],
          variant: 'enterprise',
        },
      ],
      { serve: true },
    ),
  }),
};

export function validated(input: object): Flag {
  const result = validateFlag(input);
  if (!result.ok) throw new Error(`bench flag is invalid: ${JSON.stringify(result.problems)}`);
  return result.flag;
}

/** The core's module: this build's, or a baseline build's (see baselineCore). */
export type SwitchyardCore = Pick<typeof switchyardCore, 'EnvironmentFlags'>;

/**
 * `SWITCHYARD_BENCH_CORE_BASELINE=/path/to/an/older/packages/core/dist/index.js`: an earlier
 * build of the core, measured side by side with this one (a "before" column) in the same run.
 */
export async function baselineCore(): Promise<SwitchyardCore | undefined> {
  const path = process.env['SWITCHYARD_BENCH_CORE_BASELINE'];
  return path ? ((await import(path)) as SwitchyardCore) : undefined;
}

/**
 * Switchyard's EnvironmentFlags, by default interpreting compiled flags; `codegen` generates a
 * function per flag (opt-in); `baseline` measures an earlier build of the core instead.
 */
export function switchyardSystem(codegen = false, baseline?: SwitchyardCore): SystemUnderTest {
  const core = baseline ?? switchyardCore;
  const flags = new core.EnvironmentFlags(Object.values(workloadFlags(switchyardFlagInputs)).map(validated), ENV, {
    codegen,
  });
  return defineSystem<EvaluationContext>({
    name: baseline ? 'Switchyard baseline (before)' : codegen ? 'Switchyard (codegen opt-in)' : 'Switchyard',
    packageName: '@switchyard/core',
    toContext: (u) => ({ targetingKey: u.id, country: u.country, plan: u.plan, email: u.email }),
    isOn: (ctx, key) => flags.evaluate(key, ctx).value === true,
    objectValue: (ctx, key) => flags.evaluate(key, ctx).value,
  });
}
