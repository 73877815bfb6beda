import type { EnvironmentConfig, Flag } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { environmentImpacts, variantShareMoved } from './affected-share.js';
import { servedShare } from './environment-state.js';

const flag = (production: EnvironmentConfig, variants: Flag['variants'] = []): Flag => ({
  name: 'f',
  description: '',
  tags: [],
  type: variants.length > 0 ? 'string' : 'boolean',
  variants,
  version: 1,
  environments: { production },
});
const percentage = (value: number, extra: Partial<EnvironmentConfig> = {}): EnvironmentConfig => ({
  enabled: true,
  rules: [{ strategy: 'percentage', percentage: value }],
  fallthrough: { serve: false },
  ...extra,
});

describe('servedShare', () => {
  it('is the highest percentage of percentage and gradual rules (they share one bucket), 0 when off, 100 when the fallthrough serves', () => {
    expect(
      servedShare({
        enabled: true,
        rules: [
          { strategy: 'percentage', percentage: 10 },
          { strategy: 'gradual', percentage: 30 },
        ],
        fallthrough: { serve: false },
      }),
    ).toBe(30);
    expect(servedShare(percentage(40, { enabled: false }))).toBe(0);
    expect(servedShare(percentage(40, { fallthrough: { serve: true } }))).toBe(100);
    expect(servedShare(undefined)).toBe(0);
  });

  it('is unknown when it depends on the users: lists, attributes, or rules bucketing by different attributes', () => {
    expect(
      servedShare({
        enabled: true,
        rules: [
          { strategy: 'user_list', userIds: ['a'] },
          { strategy: 'percentage', percentage: 10 },
        ],
        fallthrough: { serve: false },
      }),
    ).toBeUndefined();
    expect(
      servedShare({
        enabled: true,
        rules: [
          { strategy: 'percentage', percentage: 10 },
          { strategy: 'percentage', percentage: 20, bucketBy: 'company' },
        ],
        fallthrough: { serve: false },
      }),
    ).toBeUndefined();
  });
});

describe('environmentImpacts', () => {
  it('when a rollout goes from 10% to 50%, then 40% of users are affected in that environment only', () => {
    expect(environmentImpacts(flag(percentage(10)), flag(percentage(50)), ['staging', 'production'])).toEqual([
      { environment: 'production', before: 10, after: 50, affected: 40 },
    ]);
  });

  it('when the configuration does not change, then there is no impact', () => {
    expect(environmentImpacts(flag(percentage(10)), flag(percentage(10)), ['production'])).toEqual([]);
  });
});

describe('variantShareMoved', () => {
  const v = (name: string, weight: number) => ({ name, value: name, weight });
  it('measures the share of the split whose variant changes', () => {
    expect(variantShareMoved([v('a', 50), v('b', 50)], [v('a', 50), v('b', 50)])).toBe(0);
    expect(variantShareMoved([v('a', 50), v('b', 50)], [v('a', 30), v('b', 70)])).toBe(20);
    expect(variantShareMoved([v('a', 50), v('b', 50)], [v('b', 50), v('a', 50)])).toBe(100);
    expect(variantShareMoved([v('a', 100), v('b', 0)], [v('a', 90), v('b', 10)])).toBe(10);
  });
});
