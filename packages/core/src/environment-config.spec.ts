import { describe, expect, it } from 'vitest';
import { environmentConfig } from './environment-config.js';
import type { EnvironmentConfig, Flag } from './model.js';

const config = (enabled: boolean): EnvironmentConfig => ({ enabled, rules: [], fallthrough: { serve: true } });
const flag = (environments: Record<string, EnvironmentConfig>): Flag => ({
  name: 'f',
  description: '',
  tags: [],
  type: 'boolean',
  variants: [],
  environments,
  version: 0,
});

describe('environmentConfig', () => {
  it('returns the environment\'s own configuration, else "*", else undefined', () => {
    const own = config(false);
    const any = config(true);
    expect(environmentConfig(flag({ production: own, '*': any }), 'production')).toBe(own);
    expect(environmentConfig(flag({ production: own, '*': any }), 'staging')).toBe(any);
    expect(environmentConfig(flag({ production: own }), 'staging')).toBeUndefined();
  });

  it('does not mistake inherited properties for environments', () => {
    expect(environmentConfig(flag({}), 'toString')).toBeUndefined();
    expect(environmentConfig(flag({}), '__proto__')).toBeUndefined();
  });
});
