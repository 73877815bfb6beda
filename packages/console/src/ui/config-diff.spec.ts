import { describe, expect, it } from 'vitest';
import { configDiff, valueText } from './config-diff.js';

const flag = (percentage: number, extra: Record<string, unknown> = {}) => ({
  name: 'new-checkout',
  version: 3,
  updatedAt: '2026-12-04T10:00:00.000Z',
  description: 'Checkout',
  variants: [],
  environments: {
    production: {
      enabled: true,
      rules: [
        { name: 'staff', strategy: 'user_list', userIds: ['alice'] },
        { name: 'rollout', strategy: 'percentage', percentage },
      ],
    },
  },
  ...extra,
});

describe('configDiff', () => {
  it('when a rule changes, then the change is named by environment, rule position and name, and field', () => {
    expect(configDiff(flag(25), { ...flag(50), version: 4 })).toEqual([
      { path: 'production › rule 2 "rollout" › percentage', before: 25, after: 50 },
    ]);
  });

  it('when only store fields differ, then there is no change', () => {
    expect(configDiff(flag(25), { ...flag(25), version: 9, updatedAt: '2026-12-05T00:00:00.000Z' })).toEqual([]);
  });

  it('when a list of values or a field appears, then it changes as a whole, from absent', () => {
    const before = flag(25);
    const after = flag(25, { owner: 'payments' });
    after.environments.production.rules[0] = { name: 'staff', strategy: 'user_list', userIds: ['alice', 'bob'] };
    expect(configDiff(before, after)).toEqual([
      { path: 'production › rule 1 "staff" › userIds', before: ['alice'], after: ['alice', 'bob'] },
      { path: 'owner', before: undefined, after: 'payments' },
    ]);
    expect(valueText(undefined)).toBe('absent');
    expect(valueText(['alice'])).toBe('["alice"]');
  });
});
