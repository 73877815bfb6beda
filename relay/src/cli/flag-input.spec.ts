import { describe, expect, it } from 'vitest';
import { UsageError } from './cli-errors.js';
import { flagSettingsFrom, parseRule, parseScalar, parseVariant } from './flag-input.js';

describe('flag settings from command-line options', () => {
  it('when a rule names attribute, operator and values, then numbers and booleans keep their type', () => {
    expect(parseRule('engagement_score greater_than 80')).toEqual({
      attribute: 'engagement_score',
      operator: 'greater_than',
      values: [80],
    });
    expect(parseRule('plan in premium, enterprise')).toEqual({
      attribute: 'plan',
      operator: 'in',
      values: ['premium', 'enterprise'],
    });
    expect(parseRule('beta exists')).toEqual({ attribute: 'beta', operator: 'exists', values: [] });
  });

  it('when a rule names an unknown operator, then the error lists the known ones', () => {
    expect(() => parseRule('plan is premium')).toThrow(/operator "is" is not one of equals, not_equals/);
    expect(() => parseRule('plan')).toThrow(UsageError);
  });

  it('when a variant carries JSON, then its value is the parsed JSON; text stays text', () => {
    expect(parseVariant('control:50={"color":"blue"}')).toEqual({
      name: 'control',
      weight: 50,
      value: { color: 'blue' },
    });
    expect(parseVariant('treatment:50=green')).toEqual({ name: 'treatment', weight: 50, value: 'green' });
    expect(parseVariant('off:0')).toEqual({ name: 'off', weight: 0, value: 'off' });
    expect(() => parseVariant('control')).toThrow(/name:weight\[=value\]/);
  });

  it('when only numbers-like text is canonical JSON, then it becomes a number (zip codes stay text)', () => {
    expect(parseScalar('25')).toBe(25);
    expect(parseScalar('-1.5')).toBe(-1.5);
    expect(parseScalar('02134')).toBe('02134');
    expect(parseScalar('true')).toBe(true);
  });

  it('when users, rules or gradual settings are given without --strategy, then the strategy they imply is set', () => {
    expect(flagSettingsFrom({ users: 'a, b' })).toEqual({
      rolloutConfig: { strategy: 'user_list', userIds: ['a', 'b'] },
    });
    expect(flagSettingsFrom({ rule: ['plan equals premium'] }).rolloutConfig).toMatchObject({
      strategy: 'user_attribute',
    });
    const gradual = flagSettingsFrom({ increment: 10, period: 3600 }).rolloutConfig as Record<string, unknown>;
    expect(gradual).toMatchObject({ strategy: 'gradual', gradualIncrement: 10, gradualPeriodSeconds: 3600 });
    expect(typeof gradual.startDate).toBe('string');
  });

  it('when only a percentage is given, then no strategy is sent and the relay keeps the current one', () => {
    expect(flagSettingsFrom({ percentage: 25 })).toEqual({ rolloutConfig: { percentage: 25 } });
    expect(flagSettingsFrom({})).toEqual({});
  });

  it('when the strategy is unknown, then a usage error names the valid ones', () => {
    expect(() => flagSettingsFrom({ strategy: 'random' })).toThrow(/percentage, user_list, user_attribute, gradual/);
  });
});
