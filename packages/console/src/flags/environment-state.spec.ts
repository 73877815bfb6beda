import type { Flag } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { environmentState } from './environment-state.js';

const flag: Flag = {
  name: 'f',
  description: '',
  tags: [],
  type: 'boolean',
  variants: [],
  version: 1,
  environments: {
    production: {
      enabled: true,
      rules: [
        { strategy: 'user_list', userIds: ['a', 'b'] },
        { strategy: 'percentage', percentage: 10 },
      ],
      fallthrough: { serve: false },
    },
    staging: {
      enabled: true,
      rules: [{ strategy: 'gradual', percentage: 30, maxPercentage: 80, paused: true }],
      fallthrough: { serve: false },
    },
    '*': { enabled: false, rules: [], fallthrough: { serve: true } },
  },
};

describe('environmentState', () => {
  it('summarises each environment: rules in order, gradual progress, off, and * for the unlisted ones', () => {
    expect(environmentState(flag, 'production')).toMatchObject({
      status: 'on',
      summary: '2 users + 10%',
      share: undefined,
    });
    expect(environmentState(flag, 'staging')).toMatchObject({
      status: 'on',
      summary: 'gradual 30% of 80% (paused)',
      share: 30,
    });
    expect(environmentState(flag, 'development')).toMatchObject({ status: 'off', summary: 'off', share: 0 });
    expect(environmentState({ ...flag, environments: {} }, 'development')).toMatchObject({ status: 'absent' });
  });
});
