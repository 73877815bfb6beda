import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyContext, validFlagInput } from './arbitrary-flag.test-helper.js';
import { compiledEnvironment, compileFlag } from './compile-flag.js';
import { EnvironmentFlags } from './environment-flags.js';
import { generateEvaluator } from './generate-evaluator.js';
import { evaluateFlag } from './evaluate-flag.js';
import type { EvaluationContext, Flag } from './model.js';
import { validateFlag } from './validate-flag.js';

function valid(input: unknown): Flag {
  const validation = validateFlag(input);
  if (!validation.ok) throw new Error(JSON.stringify(validation.problems));
  return validation.flag;
}

/** Several valid flags with distinct names (the generator may repeat a name; the first one stays). */
const flagSets = fc.array(validFlagInput, { minLength: 1, maxLength: 8 }).map((inputs) => {
  const byName = new Map<string, Flag>();
  for (const input of inputs) {
    const flag = valid(input);
    if (!byName.has(flag.name)) byName.set(flag.name, flag);
  }
  return [...byName.values()];
});
const environments = fc.constantFrom('production', 'staging', 'qa');

const rollout = (name: string, rules: object[]) =>
  valid({ name, environments: { production: { enabled: true, rules, fallthrough: { serve: false } } } });

describe('EnvironmentFlags', () => {
  it('evaluateAll gives, flag by flag in name order, what evaluateFlag gives for each flag alone', () => {
    fc.assert(
      fc.property(flagSets, anyContext, environments, (flags, context, environment) => {
        const set = new EnvironmentFlags(flags, environment);
        const byName = [...flags].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        expect(set.names).toEqual(byName.map((flag) => flag.name));
        const alone = byName.map((flag) => evaluateFlag(flag, flag.name, environment, context as EvaluationContext));
        expect(set.evaluateAll(context as EvaluationContext)).toStrictEqual(alone);
        expect(set.valuesAll(context as EvaluationContext)).toStrictEqual(alone.map((result) => result.value));
        for (const [index, flag] of byName.entries())
          expect(set.evaluate(flag.name, context as EvaluationContext)).toStrictEqual(alone[index]);
      }),
      { numRuns: 100 },
    );
  });

  it('with code generation (the codegen option), evaluate gives what the interpreter gives, for any flags and context', () => {
    fc.assert(
      fc.property(flagSets, anyContext, environments, (flags, context, environment) => {
        const interpreted = new EnvironmentFlags(flags, environment);
        const generated = new EnvironmentFlags(flags, environment, { codegen: true });
        for (const name of interpreted.names) {
          expect(generated.evaluate(name, context as EvaluationContext)).toStrictEqual(
            interpreted.evaluate(name, context as EvaluationContext),
          );
        }
      }),
      { numRuns: 100 },
    );
  });

  it('generates an evaluator for every strategy, fixed values and splits (so the property above compares generated code)', () => {
    const flag = valid({
      name: 'every-shape',
      type: 'string',
      variants: [
        { name: 'a', value: 'A', weight: 50 },
        { name: 'b', value: 'B', weight: 50 },
      ],
      environments: {
        production: {
          enabled: true,
          rules: [
            { strategy: 'user_list', userIds: ['u1'], variant: 'a' },
            {
              strategy: 'user_attribute',
              match: 'any',
              targetingRules: [{ attribute: 'plan', operator: 'in', values: ['x', 'y'] }],
              percentage: 50,
            },
            { strategy: 'percentage', percentage: 0 },
            { strategy: 'gradual', percentage: 30, startDate: '2026-01-01T00:00:00Z', gradualIncrement: 1 },
          ],
          fallthrough: { serve: true },
        },
      },
    });
    const compiled = compileFlag(flag);
    expect(generateEvaluator(compiledEnvironment(compiled, 'production'))).toBeTypeOf('function');
    expect(generateEvaluator(compiledEnvironment(compiled, 'staging'))).toBeTypeOf('function');
  });

  it('answers FLAG_NOT_FOUND for a name it does not hold', () => {
    const set = new EnvironmentFlags([rollout('half', [{ strategy: 'percentage', percentage: 50 }])], 'production');
    expect(set.evaluate('other', { targetingKey: 'u' })).toMatchObject({
      flagName: 'other',
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
      value: undefined,
    });
    expect(set.has('half')).toBe(true);
    expect(set.has('other')).toBe(false);
  });

  it('gives INVALID_CONTEXT for each flag that reads an attribute whose getter throws, and answers the others', () => {
    const flags = [
      rollout('by-plan', [
        {
          strategy: 'user_attribute',
          targetingRules: [{ attribute: 'plan', operator: 'equals', values: ['premium'] }],
        },
      ]),
      rollout('everyone', [{ strategy: 'percentage', percentage: 100 }]),
    ];
    const context = {
      targetingKey: 'u1',
      get plan(): string {
        throw new Error('no plan');
      },
    };
    const [byPlan, everyone] = new EnvironmentFlags(flags, 'production').evaluateAll(context);
    expect(byPlan).toMatchObject({ reason: 'ERROR', errorCode: 'INVALID_CONTEXT', value: false });
    expect(everyone).toMatchObject({ reason: 'SPLIT', value: true });
  });

  it('stays correct when a context getter evaluates flags itself (a nested evaluation reads its own context)', () => {
    const flags = [
      rollout('premium', [
        {
          strategy: 'user_attribute',
          targetingRules: [{ attribute: 'plan', operator: 'equals', values: ['premium'] }],
        },
      ]),
    ];
    const set = new EnvironmentFlags(flags, 'production');
    const context = {
      get plan(): string {
        // The inner context says "free": if it leaked into the outer evaluation, the outer would be off.
        return set.evaluate('premium', { plan: 'free' }).value === false ? 'premium' : 'free';
      },
    };
    expect(set.evaluateAll(context)[0]).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });
  });

  it('reads each context attribute once for all flags of a bulk evaluation', () => {
    const flags = ['a', 'b', 'c'].map((name) =>
      rollout(name, [
        {
          strategy: 'user_attribute',
          targetingRules: [{ attribute: 'plan', operator: 'in', values: [name, 'premium'] }],
        },
      ]),
    );
    let reads = 0;
    const context = {
      get plan(): string {
        reads++;
        return 'premium';
      },
    };
    const results = new EnvironmentFlags(flags, 'production').evaluateAll(context);
    expect(results.map((r) => r.value)).toEqual([true, true, true]);
    expect(reads).toBe(1);
  });
});
