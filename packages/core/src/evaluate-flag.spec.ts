import { describe, expect, it } from 'vitest';
import { compileFlag } from './compile-flag.js';
import { evaluateFlag } from './evaluate-flag.js';
import type { EvaluationContext, Flag } from './model.js';
import { validateFlag } from './validate-flag.js';

function valid(input: unknown): Flag {
  const validation = validateFlag(input);
  if (!validation.ok) throw new Error(JSON.stringify(validation.problems));
  return validation.flag;
}

const live = (rules: object[], fallthrough: object = { serve: false }) => ({
  production: { enabled: true, rules, fallthrough },
});
const rollout50 = valid({ name: 'half', environments: live([{ strategy: 'percentage', percentage: 50 }]) });

describe('evaluateFlag', () => {
  it('when the flag is undefined, then reason ERROR with FLAG_NOT_FOUND and no value', () => {
    expect(evaluateFlag(undefined, 'nope', 'production', {})).toMatchObject({
      flagName: 'nope',
      value: undefined,
      enabled: false,
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
    });
  });

  it('when the flag is not a validated Flag, then reason ERROR with PARSE_ERROR (and no throw)', () => {
    for (const broken of [
      {},
      { name: 'x', environments: null },
      { name: 'x', environments: { p: { enabled: true } }, variants: [] },
      42,
      'flag',
    ]) {
      const result = evaluateFlag(broken as unknown as Flag, 'x', 'p', {});
      expect(result.reason).toBe('ERROR');
      expect(result.errorCode).toBe('PARSE_ERROR');
    }
  });

  it('when a rule names a variant the flag lacks, then PARSE_ERROR', () => {
    const flag = {
      ...valid({ name: 'x', environments: live([]) }),
      environments: {
        production: {
          enabled: true,
          rules: [{ strategy: 'percentage', percentage: 5, variant: 'ghost' }],
          fallthrough: { serve: false },
        },
      },
    } as Flag;
    expect(evaluateFlag(flag, 'x', 'production', {}).errorCode).toBe('PARSE_ERROR');
  });

  it('when reading the context throws, then reason ERROR with INVALID_CONTEXT and the off value', () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
      },
    ) as EvaluationContext;
    const getter = Object.defineProperty({}, 'targetingKey', {
      get: () => {
        throw new Error('no');
      },
      enumerable: true,
    }) as EvaluationContext;
    for (const context of [hostile, getter]) {
      expect(evaluateFlag(rollout50, 'half', 'production', context)).toMatchObject({
        value: false,
        enabled: false,
        reason: 'ERROR',
        errorCode: 'INVALID_CONTEXT',
      });
    }
  });

  it('when the context is not an object, then it is read as an empty context', () => {
    for (const context of [null, undefined, 'user', 7]) {
      expect(evaluateFlag(rollout50, 'half', 'production', context as unknown as EvaluationContext).errorCode).toBe(
        'TARGETING_KEY_MISSING',
      );
    }
  });

  it('when the targeting key is a huge string, a Date, NaN or an object, then it is hashed or counted missing, never thrown on', () => {
    expect(evaluateFlag(rollout50, 'half', 'production', { targetingKey: 'x'.repeat(1_000_000) }).reason).not.toBe(
      'ERROR',
    );
    for (const key of [new Date(), Number.NaN, { id: 1 }, ['a'], true]) {
      expect(
        evaluateFlag(rollout50, 'half', 'production', { targetingKey: key } as unknown as EvaluationContext).errorCode,
      ).toBe('TARGETING_KEY_MISSING');
    }
  });

  it('answers the same for the same user every time (deterministic)', () => {
    const first = evaluateFlag(rollout50, 'half', 'production', { targetingKey: 'user-7' });
    for (let i = 0; i < 5; i++)
      expect(evaluateFlag(rollout50, 'half', 'production', { targetingKey: 'user-7' })).toEqual(first);
  });

  it('reports the serving rule by index and name', () => {
    const flag = valid({
      name: 'named',
      environments: live([{ name: 'beta', strategy: 'user_list', userIds: ['a'] }]),
    });
    expect(evaluateFlag(flag, 'named', 'production', { targetingKey: 'a' })).toMatchObject({
      ruleIndex: 0,
      ruleName: 'beta',
      reason: 'TARGETING_MATCH',
    });
    expect(evaluateFlag(flag, 'named', 'production', { targetingKey: 'b' }).ruleIndex).toBeUndefined();
  });

  it('a user_list rule at the front does not hide a later percentage rule from listed users', () => {
    const flag = valid({
      name: 'two',
      environments: live([
        { strategy: 'user_list', userIds: ['x'] },
        { strategy: 'percentage', percentage: 100 },
      ]),
    });
    expect(evaluateFlag(flag, 'two', 'production', { targetingKey: 'y' })).toMatchObject({
      ruleIndex: 1,
      reason: 'SPLIT',
      value: true,
    });
  });

  it('when a rule is skipped for a missing key and no rule serves, then TARGETING_KEY_MISSING, even if the fallthrough would serve', () => {
    const flag = valid({
      name: 'k',
      environments: live([{ strategy: 'percentage', percentage: 50 }], { serve: true }),
    });
    expect(evaluateFlag(flag, 'k', 'production', {})).toMatchObject({
      reason: 'ERROR',
      errorCode: 'TARGETING_KEY_MISSING',
      value: false,
    });
  });

  it('a rule whose weighted split lacks a bucketing key is skipped like a rule that lacks one for its percentage', () => {
    const flag = valid({
      name: 'split-rule',
      variants: [
        { name: 'a', value: 'A', weight: 50 },
        { name: 'b', value: 'B', weight: 50 },
      ],
      environments: live([
        { strategy: 'user_attribute', targetingRules: [{ attribute: 'plan', operator: 'exists' }] },
        { strategy: 'user_attribute', targetingRules: [{ attribute: 'plan', operator: 'exists' }], variant: 'b' },
      ]),
    });
    expect(evaluateFlag(flag, 'split-rule', 'production', { plan: 'x' })).toMatchObject({
      ruleIndex: 1,
      value: 'B',
      variant: 'b',
      reason: 'TARGETING_MATCH',
    });
  });

  it('the flag-level bucketBy is used by rules and the fallthrough split; a rule can override it', () => {
    const flag = valid({
      name: 'by-company',
      bucketBy: 'companyId',
      variants: [
        { name: 'a', value: 'A', weight: 50 },
        { name: 'b', value: 'B', weight: 50 },
      ],
      environments: live([{ strategy: 'percentage', percentage: 50, bucketBy: 'targetingKey', variant: 'a' }], {
        serve: true,
      }),
    });
    const answers = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const result = evaluateFlag(flag, 'by-company', 'production', { targetingKey: `user-${i}`, companyId: 'acme' });
      if (result.ruleIndex === undefined) answers.add(String(result.variant));
    }
    expect(answers.size).toBe(1);
  });

  it('compiles a flag once per object', () => {
    expect(compileFlag(rollout50)).toBe(compileFlag(rollout50));
    expect(compileFlag(structuredClone(rollout50))).not.toBe(compileFlag(rollout50));
  });

  it('uses the validated flag name for bucketing, whatever name the caller passes', () => {
    for (let i = 0; i < 50; i++) {
      const context = { targetingKey: `u${i}` };
      expect(evaluateFlag(rollout50, 'other-name', 'production', context).value).toBe(
        evaluateFlag(rollout50, 'half', 'production', context).value,
      );
    }
  });
});
