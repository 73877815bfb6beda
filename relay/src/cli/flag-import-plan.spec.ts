import { describe, expect, it } from 'vitest';
import { canonicalJson, planImport, validateAll } from './flag-import-plan.js';
import type { RelayFlag } from './switchyard-api.js';

const seedShaped = {
  name: 'seed-flag',
  enabled: true,
  rolloutConfig: { strategy: 'percentage', percentage: 25 },
  environments: ['production'],
};

function held(input: object, version: number): RelayFlag {
  const { flags } = validateAll([input]);
  return {
    ...flags[0]!,
    version,
    revision: version,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-02T00:00:00Z',
  };
}

describe('import planning', () => {
  it('when key order differs, then the canonical JSON is the same', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 1, x: 2 }], c: 2 } })).toBe(
      canonicalJson({ a: { c: 2, d: [1, { x: 2, y: 1 }] }, b: 1 }),
    );
  });

  it('when the relay holds the same flag in the other shape and at another version, then nothing is planned', () => {
    const { flags, problems } = validateAll([seedShaped]);
    expect(problems).toEqual([]);
    expect(planImport(flags, [held(seedShaped, 7)], false)).toEqual([
      { name: 'seed-flag', action: 'unchanged', readVersion: 7 },
    ]);
  });

  it('when a flag differs or is missing, then it is updated (naming the version read) or created; extras only go with prune', () => {
    const { flags } = validateAll([{ ...seedShaped, description: 'changed' }, { name: 'brand-new' }]);
    const existing = [held(seedShaped, 3), held({ name: 'extra' }, 1)];
    expect(
      planImport(flags, existing, false).map(({ name, action, readVersion }) => ({ name, action, readVersion })),
    ).toEqual([
      { name: 'seed-flag', action: 'update', readVersion: 3 },
      { name: 'brand-new', action: 'create', readVersion: undefined },
    ]);
    expect(planImport(flags, existing, true).at(-1)).toEqual({ name: 'extra', action: 'delete', readVersion: 1 });
  });

  it("when a flag is over core's default size limits, then the plan takes it (the relay checks its own, possibly raised, limits)", () => {
    const many = {
      name: 'many-users',
      environments: {
        production: {
          enabled: true,
          rules: [{ strategy: 'user_list', userIds: Array.from({ length: 10_001 }, (_, i) => `u${i}`) }],
          fallthrough: { serve: false },
        },
      },
    };
    const { flags, problems } = validateAll([many]);
    expect(problems).toEqual([]);
    expect(planImport(flags, [], false)).toMatchObject([{ name: 'many-users', action: 'create' }]);
  });

  it('when flags are invalid or repeated, then every problem is reported with its place in the file', () => {
    const { problems } = validateAll([{ name: 'ok-flag' }, { name: 'Bad Name' }, { name: 'ok-flag' }, 'not a flag']);
    expect(problems.map((problem) => problem.path)).toEqual(['flags[1].name', 'flags[2].name', 'flags[3]']);
  });
});
