import { describe, expect, it } from 'vitest';
import { isClientVisible } from './client-visibility.js';
import { DEFAULT_FLAG_LIMITS } from './flag-limits.js';
import type { Flag, Problem } from './model.js';
import { validateFlag } from './validate-flag.js';

function problems(input: unknown, limits = {}): Problem[] {
  const result = validateFlag(input, { limits });
  if (result.ok) throw new Error('expected problems, got a valid flag');
  return result.problems;
}

function paths(input: unknown, limits = {}): string[] {
  return problems(input, limits).map((p) => p.path);
}

function valid(input: unknown): Flag {
  const result = validateFlag(input);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.flag;
}

const env = (rules: object[], fallthrough: object = { serve: false }) => ({
  production: { enabled: true, rules, fallthrough },
});

describe('validateFlag: shapes', () => {
  it('turns a seed-shaped flag with one rolloutConfig into rules [rolloutConfig] and fallthrough off, under "*"', () => {
    const flag = valid({
      name: 'new-dashboard',
      description: 'd',
      enabled: true,
      rolloutConfig: { strategy: 'percentage', percentage: 25 },
    });
    expect(flag).toEqual({
      name: 'new-dashboard',
      description: 'd',
      tags: [],
      type: 'boolean',
      variants: [],
      version: 0,
      environments: {
        '*': { enabled: true, rules: [{ strategy: 'percentage', percentage: 25 }], fallthrough: { serve: false } },
      },
    });
  });

  it('turns a seed environments list into those environments only, each with its own copy of the rule', () => {
    const flag = valid({
      name: 'beta',
      enabled: true,
      environments: ['development', 'staging'],
      rolloutConfig: { strategy: 'user_list', userIds: ['a'] },
    });
    expect(Object.keys(flag.environments)).toEqual(['development', 'staging']);
    expect(flag.environments['development']!.rules[0]).not.toBe(flag.environments['staging']!.rules[0]);
  });

  it('a seed-shaped flag without rolloutConfig serves everybody; enabled defaults to false', () => {
    expect(valid({ name: 'plain', enabled: true }).environments['*']).toEqual({
      enabled: true,
      rules: [],
      fallthrough: { serve: true },
    });
    expect(valid({ name: 'plain' }).environments['*']!.enabled).toBe(false);
  });

  it("accepts the seed serializers' nulls and unused fields, and drops fields the strategy does not use", () => {
    const flag = valid({
      name: 'seed-export',
      enabled: true,
      owner: null,
      rolloutConfig: {
        strategy: 'percentage',
        percentage: 10,
        userIds: [],
        targetingRules: [],
        startDate: null,
        gradualIncrement: null,
      },
    });
    expect(flag.environments['*']!.rules).toEqual([{ strategy: 'percentage', percentage: 10 }]);
  });

  it('refuses mixing shapes: flag-level enabled or rolloutConfig with an environments object', () => {
    expect(
      paths({
        name: 'mixed',
        enabled: true,
        rolloutConfig: { strategy: 'percentage', percentage: 1 },
        environments: env([]),
      }),
    ).toEqual(['enabled', 'rolloutConfig']);
  });

  it('defaults an environment\'s rules to [] and its fallthrough to "serve when there are no rules"', () => {
    const flag = valid({
      name: 'defaults',
      environments: { a: { enabled: true }, b: { enabled: true, rules: [{ strategy: 'percentage', percentage: 5 }] } },
    });
    expect(flag.environments['a']).toEqual({ enabled: true, rules: [], fallthrough: { serve: true } });
    expect(flag.environments['b']!.fallthrough).toEqual({ serve: false });
  });

  it('passes version, owner, tags and timestamps through', () => {
    const flag = valid({
      name: 'meta',
      owner: 'team-a',
      tags: ['ui'],
      version: 7,
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-02T00:00:00Z',
      environments: {},
    });
    expect(flag).toMatchObject({
      owner: 'team-a',
      tags: ['ui'],
      version: 7,
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-02T00:00:00Z',
    });
  });

  it("keeps clientVisible when given (either shape), leaves it absent otherwise (the relay's default applies), and refuses a non-boolean", () => {
    expect(valid({ name: 'server-only', clientVisible: false, environments: {} }).clientVisible).toBe(false);
    expect(valid({ name: 'seed-shaped', clientVisible: true, enabled: true }).clientVisible).toBe(true);
    expect('clientVisible' in valid({ name: 'unsaid', clientVisible: null, environments: {} })).toBe(false);
    expect(problems({ name: 'wrong', clientVisible: 'no', environments: {} })).toEqual([
      expect.objectContaining({ path: 'clientVisible', expected: 'true or false' }),
    ]);
    expect(isClientVisible({}, true)).toBe(true);
    expect(isClientVisible({}, false)).toBe(false);
    expect(isClientVisible({ clientVisible: false }, true)).toBe(false);
    expect(isClientVisible({ clientVisible: true }, false)).toBe(true);
  });

  it('does not keep references to the input', () => {
    const input = {
      name: 'copy',
      variants: [{ name: 'a', value: { deep: [1] }, weight: 100 }],
      environments: env([{ strategy: 'user_list', userIds: ['u'] }]),
    };
    const flag = valid(input);
    input.variants[0]!.value.deep.push(2);
    (input.environments.production.rules[0] as { userIds: string[] }).userIds.push('v');
    expect(flag.variants[0]!.value).toEqual({ deep: [1] });
    expect(flag.environments['production']!.rules[0]!.userIds).toEqual(['u']);
  });
});

describe('validateFlag: names, types and variants', () => {
  it.each(['new-dashboard', 'a', 'auth-sso-login', 'v2-api'])('accepts the kebab-case name %j', (name) =>
    expect(valid({ name }).name).toBe(name),
  );
  it.each(['New-Dashboard', 'new_dashboard', '-x', 'x-', 'a--b', '', 'a b', 'ä'])('refuses the name %j', (name) =>
    expect(paths({ name })).toEqual(['name']),
  );

  it('refuses a name longer than maxNameLength', () => {
    expect(paths({ name: 'a'.repeat(DEFAULT_FLAG_LIMITS.maxNameLength + 1) })).toEqual(['name']);
    expect(paths({ name: 'abcdef' }, { maxNameLength: 5 })).toEqual(['name']);
  });

  it('infers the type from the variants, boolean without variants', () => {
    expect(valid({ name: 'b' }).type).toBe('boolean');
    expect(valid({ name: 's', variants: [{ name: 'a', value: 'x' }] }).type).toBe('string');
    expect(valid({ name: 'n', variants: [{ name: 'a', value: 1 }] }).type).toBe('number');
    expect(valid({ name: 'o', variants: [{ name: 'a', value: [1] }] }).type).toBe('object');
  });

  it('splits equally when no variant has a weight', () => {
    const flag = valid({
      name: 'thirds',
      variants: [
        { name: 'a', value: 1 },
        { name: 'b', value: 2 },
        { name: 'c', value: 3 },
      ],
    });
    expect(flag.variants.map((v) => v.weight)).toEqual([100 / 3, 100 / 3, 100 / 3]);
  });

  it('reports weights that do not sum to 100, and weights given for some variants only', () => {
    expect(
      problems({
        name: 'w',
        variants: [
          { name: 'a', value: 1, weight: 50 },
          { name: 'b', value: 2, weight: 40 },
        ],
      }),
    ).toEqual([
      {
        path: 'variants',
        expected: 'variant weights summing to 100',
        message: 'variants: expected variant weights summing to 100, got a sum of 90',
      },
    ]);
    expect(
      paths({
        name: 'w',
        variants: [
          { name: 'a', value: 1, weight: 100 },
          { name: 'b', value: 2 },
        ],
      }),
    ).toEqual(['variants[1].weight']);
  });

  it('accepts weights summing to 100 within 1e-9', () => {
    expect(
      valid({
        name: 'w',
        variants: [
          { name: 'a', value: 1, weight: 33.3333333333 },
          { name: 'b', value: 2, weight: 66.6666666667 },
        ],
      }).variants,
    ).toHaveLength(2);
  });

  it('reports duplicate variant names, values of the wrong type and missing values', () => {
    const input = {
      name: 'v',
      type: 'string',
      variants: [{ name: 'a', value: 'x' }, { name: 'a', value: 2 }, { name: 'c' }, { name: 'd', value: null }],
    };
    expect(paths(input)).toEqual(['variants[2].value', 'variants[3].value', 'variants[1].name', 'variants[1].value']);
  });

  it('requires variants for non-boolean flags', () => {
    expect(paths({ name: 's', type: 'string' })).toEqual(['variants']);
  });

  it('reports references to variants that do not exist', () => {
    const input = {
      name: 'refs',
      variants: [{ name: 'a', value: 'x' }],
      offVariant: 'z',
      environments: env([{ strategy: 'percentage', percentage: 5, variant: 'y' }], { serve: true, variant: 'w' }),
    };
    expect(paths(input)).toEqual([
      'offVariant',
      'environments.production.rules[0].variant',
      'environments.production.fallthrough.variant',
    ]);
  });

  it('refuses a variant on a boolean flag without variants', () => {
    expect(problems({ name: 'b', offVariant: 'off' })[0]!.expected).toBe('no variant (the flag has no variants)');
  });
});

describe('validateFlag: rules and conditions', () => {
  it('reports every problem with its dotted path', () => {
    const input = {
      name: 'many',
      environments: {
        production: {
          enabled: 'yes',
          rules: [
            { strategy: 'percentage', percentage: 120 },
            { strategy: 'user_list' },
            {
              strategy: 'user_attribute',
              targetingRules: [
                { attribute: 'age', operator: 'greater_than', values: ['old'] },
                { attribute: '', operator: 'like', values: [] },
              ],
            },
            { strategy: 'gradual', startDate: 'soon' },
            { strategy: 'teleport' },
          ],
          fallthrough: { serve: 'no' },
        },
      },
    };
    expect(paths(input)).toEqual([
      'environments.production.enabled',
      'environments.production.rules[0].percentage',
      'environments.production.rules[1].userIds',
      'environments.production.rules[2].targetingRules[0].values[0]',
      'environments.production.rules[2].targetingRules[1].attribute',
      'environments.production.rules[2].targetingRules[1].operator',
      'environments.production.rules[3].startDate',
      'environments.production.rules[3].gradualIncrement',
      'environments.production.rules[4].strategy',
      'environments.production.fallthrough.serve',
    ]);
  });

  it('says what was expected and what was found', () => {
    expect(problems({ name: 'p', environments: env([{ strategy: 'percentage', percentage: 120 }]) })[0]).toEqual({
      path: 'environments.production.rules[0].percentage',
      expected: 'a number from 0 to 100',
      message: 'environments.production.rules[0].percentage: expected a number from 0 to 100, got 120',
    });
  });

  it.each([
    [{ attribute: 'age', operator: 'greater_than', values: [1, 2] }, 'exactly one value'],
    [{ attribute: 'v', operator: 'semver_equals', values: ['1.2'] }, 'a semantic version'],
    [{ attribute: 'd', operator: 'date_before', values: ['2024-02-30'] }, 'an ISO 8601 date'],
    [{ attribute: 'p', operator: 'in', values: [] }, 'at least one value'],
    [{ attribute: 'p', operator: 'in', values: [null] }, 'strings, numbers or booleans'],
    [{ attribute: 'p', operator: 'contains', values: [true] }, 'strings (or numbers)'],
    [{ attribute: 'p', operator: 'exists', values: ['x'] }, 'no values'],
    [{ attribute: 'p', operator: 'equals', values: ['x'], negate: 'yes' }, 'true or false'],
  ])('checks condition values per operator: %j', (condition, expected) => {
    const found = problems({
      name: 'c',
      environments: env([{ strategy: 'user_attribute', targetingRules: [condition] }]),
    });
    expect(found).toHaveLength(1);
    expect(found[0]!.expected).toContain(expected);
  });

  it('requires at least one condition for user_attribute', () => {
    expect(paths({ name: 'c', environments: env([{ strategy: 'user_attribute', targetingRules: [] }]) })).toEqual([
      'environments.production.rules[0].targetingRules',
    ]);
  });

  it('suggests the camelCase name for snake_case fields', () => {
    const found = problems({ name: 'snake', rollout_config: {}, enabled: true });
    expect(found[0]!.path).toBe('rollout_config');
    expect(found[0]!.expected).toContain('"rolloutConfig" (field names are camelCase)');
  });

  it('validates gradual fields', () => {
    const rule = {
      strategy: 'gradual',
      startDate: '2026-01-01T00:00:00Z',
      gradualIncrement: 0,
      gradualPeriodSeconds: 1.5,
      maxPercentage: 101,
      lastStepAt: 'x',
    };
    expect(paths({ name: 'g', environments: env([rule]) })).toEqual([
      'environments.production.rules[0].gradualIncrement',
      'environments.production.rules[0].gradualPeriodSeconds',
      'environments.production.rules[0].maxPercentage',
      'environments.production.rules[0].lastStepAt',
    ]);
  });
});

describe('validateFlag: safety and limits', () => {
  it('refuses keys that start with "$" or contain "." anywhere, and "__proto__"', () => {
    const input = JSON.parse(
      '{"name":"m","$where":"1","variants":[{"name":"a","value":{"x.y":1,"ok":{"$gt":2}}}],"environments":{"prod.eu":{"enabled":true},"p":{"enabled":true,"__proto__":{}}}}',
    ) as unknown;
    expect(paths(input)).toEqual([
      '$where',
      'variants[0].value.x.y',
      'variants[0].value.ok.$gt',
      'environments.prod.eu',
      'environments.p.__proto__',
    ]);
  });

  it('refuses non-JSON values: functions, Dates, class instances, NaN, Infinity', () => {
    const input = {
      name: 'j',
      description: () => 1,
      createdAt: new Date(),
      owner: new (class Owner {})(),
      version: Number.NaN,
      tags: [Number.POSITIVE_INFINITY],
    };
    expect(paths(input).slice(0, 5)).toEqual(['description', 'createdAt', 'owner', 'version', 'tags[0]']);
  });

  it('stops at cycles and excessive depth without throwing', () => {
    const cyclic: Record<string, unknown> = { name: 'cyc' };
    cyclic['variants'] = [{ name: 'a', value: cyclic }];
    expect(problems(cyclic)[0]!.expected).toBe('JSON without cycles');
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(problems({ name: 'deep', variants: [{ name: 'a', value: deep }] })[0]!.expected).toContain(
      'levels of nesting',
    );
  });

  it('never throws, whatever the input', () => {
    const throwing = new Proxy(
      {},
      {
        getPrototypeOf: () => Object.prototype,
        ownKeys: () => {
          throw new Error('boom');
        },
      },
    );
    for (const input of [undefined, null, 1, 'flag', [], throwing, Object.create(null), new Map()]) {
      expect(validateFlag(input).ok).toBe(false);
    }
  });

  it.each([
    [
      'maxRules',
      { maxRules: 1 },
      {
        name: 'l',
        environments: env([
          { strategy: 'percentage', percentage: 1 },
          { strategy: 'percentage', percentage: 2 },
        ]),
      },
      'environments.production.rules',
    ],
    [
      'maxUserIds',
      { maxUserIds: 2 },
      { name: 'l', environments: env([{ strategy: 'user_list', userIds: ['a', 'b', 'c'] }]) },
      'environments.production.rules[0].userIds',
    ],
    [
      'maxVariants',
      { maxVariants: 1 },
      {
        name: 'l',
        variants: [
          { name: 'a', value: 1 },
          { name: 'b', value: 2 },
        ],
      },
      'variants',
    ],
    [
      'maxEnvironments',
      { maxEnvironments: 1 },
      { name: 'l', environments: { a: { enabled: true }, b: { enabled: true } } },
      'environments',
    ],
    ['maxTags', { maxTags: 1 }, { name: 'l', tags: ['a', 'b'] }, 'tags'],
    [
      'maxConditions',
      { maxConditions: 1 },
      {
        name: 'l',
        environments: env([
          {
            strategy: 'user_attribute',
            targetingRules: [
              { attribute: 'a', operator: 'exists' },
              { attribute: 'b', operator: 'exists' },
            ],
          },
        ]),
      },
      'environments.production.rules[0].targetingRules',
    ],
    [
      'maxVariantValueLength',
      { maxVariantValueLength: 10 },
      { name: 'l', variants: [{ name: 'a', value: 'x'.repeat(20) }] },
      'variants[0].value',
    ],
  ])('enforces %s', (_, limits, input, path) => {
    expect(paths(input, limits)).toEqual([path]);
  });
});

describe('validateFlag: known environments', () => {
  it('when environments are given, then a configuration of any other environment is a problem at its path, and * is always allowed', () => {
    const result = validateFlag(
      { name: 'e', environments: ['prod', 'production', '*'] },
      { environments: ['staging', 'production'] },
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      {
        path: 'environments.prod',
        expected: 'one of staging, production or *',
        message: 'unknown environment "prod" (SWITCHYARD_ENVIRONMENTS lists the relay\'s environments)',
      },
    ]);
  });

  it('when no environments are given, then any well-formed name is accepted', () => {
    expect(validateFlag({ name: 'e', environments: ['prod'] }).ok).toBe(true);
  });
});
