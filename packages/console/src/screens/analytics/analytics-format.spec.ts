import { describe, expect, it } from 'vitest';
import type { ExperimentArm, ExperimentReport } from '@switchyard/protocol';
import { percent, points, pValueText, significanceWords, uplift, usersStillNeeded } from './analytics-format.js';

const arm = (variant: string, users: number, overrides: Partial<ExperimentArm> = {}): ExperimentArm => ({
  variant,
  weight: 50,
  isControl: variant === 'control',
  users,
  converters: 0,
  usersExact: true,
  convertersExact: true,
  countsExact: true,
  conversionRate: null,
  interval: null,
  enoughData: users >= 100,
  comparison: null,
  sequential: null,
  ...overrides,
});

describe('analytics formats', () => {
  it('formats shares, differences, uplifts and p-values as the screen shows them', () => {
    expect(percent(0.1234)).toBe('12.3%');
    expect(percent(null)).toBe('—');
    expect(points(0.05)).toBe('+5.0 pp');
    expect(points(-0.021)).toBe('−2.1 pp');
    expect(uplift(0.5)).toBe('+50.0%');
    expect(uplift(null)).toBe('—');
    expect(pValueText(0.09766)).toBe('0.0977');
    expect(pValueText(0.0004)).toBe('< 0.001');
  });

  it('says in words whether a variant differs from the control', () => {
    const significant = arm('treatment', 500, {
      comparison: { absoluteDifference: 0.05, relativeUplift: 0.5, zScore: 3, pValue: 0.002, significant: true },
    });
    expect(significanceWords(significant, 'control')).toMatch(
      /^Significant: treatment converts higher than control \(p 0\.00200/,
    );
    const chance = arm('treatment', 500, {
      comparison: { absoluteDifference: -0.01, relativeUplift: -0.1, zScore: -1, pValue: 0.3, significant: false },
    });
    expect(significanceWords(chance, 'control')).toMatch(/^Not significant/);
    expect(significanceWords(arm('retired', 10, { weight: 0 }), 'control')).toMatch(/weight 0/);
  });

  it('counts the users still needed by the variants in the split (the control and weights above 0)', () => {
    const report = {
      minUsersPerVariant: 100,
      arms: [arm('control', 40), arm('treatment', 120), arm('retired', 3, { weight: 0 })],
    } as ExperimentReport;
    expect(usersStillNeeded(report)).toEqual({ total: 60, byArm: [{ variant: 'control', needed: 60 }] });
  });
});
