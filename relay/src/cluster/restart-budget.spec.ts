import { describe, expect, it } from 'vitest';
import { RestartBudget } from './restart-budget.js';

describe('RestartBudget', () => {
  it('when the limit is spent within the window, then it refuses until the oldest restart leaves the window', () => {
    let now = 0;
    const budget = new RestartBudget(2, 60_000, () => now);
    expect(budget.take()).toBe(true);
    now = 30_000;
    expect(budget.take()).toBe(true);
    expect(budget.take()).toBe(false);
    now = 60_000;
    expect(budget.take()).toBe(true);
    expect(budget.take()).toBe(false);
  });

  it('when the limit is 0, then no crashed worker is restarted', () => {
    expect(new RestartBudget(0).take()).toBe(false);
  });
});
