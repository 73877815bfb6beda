import { parseIsoDate } from './coercion.js';
import { DEFAULT_GRADUAL_PERIOD_SECONDS } from './flag-limits.js';
import type { RolloutRule } from './model.js';

/** What the scheduler writes back into a gradual rule when steps are due. */
export interface GradualStep {
  percentage: number;
  /** ISO 8601: the moment the last due step fell due (not `now`), so no time is lost between runs. */
  lastStepAt: string;
}

/**
 * The gradual rollout's next state at `now`, or null when nothing is due: the rule is not
 * gradual, is paused, has not started, already sits at its maximum, or no full period has
 * passed since the last step (or since `startDate`). Several missed periods are caught up at
 * once: steps = floor((now - (lastStepAt ?? startDate)) / period).
 */
export function gradualStepDue(rule: RolloutRule, now: Date): GradualStep | null {
  if (rule.strategy !== 'gradual' || rule.paused === true || rule.startDate === undefined) return null;
  const increment = rule.gradualIncrement;
  const start = parseIsoDate(rule.startDate);
  const nowMs = now.getTime();
  if (increment === undefined || !(increment > 0) || start === undefined || Number.isNaN(nowMs) || nowMs < start)
    return null;
  const periodMs = (rule.gradualPeriodSeconds ?? DEFAULT_GRADUAL_PERIOD_SECONDS) * 1000;
  const from = rule.lastStepAt === undefined ? start : (parseIsoDate(rule.lastStepAt) ?? start);
  const steps = Math.floor((nowMs - from) / periodMs);
  const current = rule.percentage ?? 0;
  const max = rule.maxPercentage ?? 100;
  if (!(periodMs > 0) || steps <= 0 || current >= max) return null;
  // Rounded to the bucket resolution so repeated float additions do not drift (0.1 + 0.2 ...).
  const percentage = Math.min(max, Math.round((current + steps * increment) * 1000) / 1000);
  return { percentage, lastStepAt: new Date(from + steps * periodMs).toISOString() };
}
