import { describe, expect, it } from 'vitest';
import { gradualStepDue } from './gradual.js';
import type { RolloutRule } from './model.js';

const DAY = 86_400_000;
const start = '2026-01-01T00:00:00.000Z';
const at = (ms: number): Date => new Date(Date.parse(start) + ms);
const rule = (extra: Partial<RolloutRule> = {}): RolloutRule => ({
  strategy: 'gradual',
  startDate: start,
  gradualIncrement: 10,
  ...extra,
});

describe('gradualStepDue', () => {
  it('when less than one period has passed since the start, then nothing is due', () => {
    expect(gradualStepDue(rule(), at(DAY - 1))).toBeNull();
  });

  it('when one period has passed, then the percentage rises by one increment from 0', () => {
    expect(gradualStepDue(rule(), at(DAY + 5))).toEqual({ percentage: 10, lastStepAt: '2026-01-02T00:00:00.000Z' });
  });

  it('when several periods were missed, then they are caught up at once and lastStepAt lands on a period boundary', () => {
    expect(
      gradualStepDue(rule({ percentage: 10, lastStepAt: '2026-01-02T00:00:00.000Z' }), at(4 * DAY + 3600_000)),
    ).toEqual({ percentage: 40, lastStepAt: '2026-01-05T00:00:00.000Z' });
  });

  it('never goes past maxPercentage, and stops once there', () => {
    expect(gradualStepDue(rule({ percentage: 40, maxPercentage: 50 }), at(10 * DAY))).toEqual({
      percentage: 50,
      lastStepAt: '2026-01-11T00:00:00.000Z',
    });
    expect(gradualStepDue(rule({ percentage: 50, maxPercentage: 50 }), at(10 * DAY))).toBeNull();
    expect(gradualStepDue(rule({ percentage: 95 }), at(10 * DAY))!.percentage).toBe(100);
  });

  it('uses gradualPeriodSeconds', () => {
    expect(gradualStepDue(rule({ gradualPeriodSeconds: 3600 }), at(2.5 * 3600_000))).toEqual({
      percentage: 20,
      lastStepAt: '2026-01-01T02:00:00.000Z',
    });
  });

  it('when paused, not started, not gradual or malformed, then nothing is due', () => {
    expect(gradualStepDue(rule({ paused: true }), at(5 * DAY))).toBeNull();
    expect(gradualStepDue(rule(), at(-DAY))).toBeNull();
    expect(gradualStepDue({ strategy: 'percentage', percentage: 5 }, at(5 * DAY))).toBeNull();
    expect(gradualStepDue(rule({ gradualIncrement: undefined }), at(5 * DAY))).toBeNull();
    expect(gradualStepDue(rule({ startDate: 'soon' }), at(5 * DAY))).toBeNull();
    expect(gradualStepDue(rule(), new Date(Number.NaN))).toBeNull();
  });

  it('does not accumulate float error over many small steps', () => {
    let current = rule({ gradualIncrement: 0.1, gradualPeriodSeconds: 60 });
    for (let i = 1; i <= 30; i++) {
      const step = gradualStepDue(current, at(i * 60_000))!;
      current = { ...current, percentage: step.percentage, lastStepAt: step.lastStepAt };
    }
    expect(current.percentage).toBe(3);
  });
});
