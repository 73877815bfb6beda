import type { Flag } from '@switchyard/core';

/**
 * Call on every flag write (PUT, PATCH, rollback): a gradual rule that goes from paused to running
 * restarts its period now, so it continues from where it is instead of catching up on the time it
 * spent paused. Rules are matched by environment and position.
 */
export function resumeRollouts<F extends Flag>(before: Flag | undefined, after: F, now: Date): F {
  if (before === undefined) return after;
  let changed = false;
  const environments = Object.fromEntries(
    Object.entries(after.environments).map(([environment, config]) => {
      const previousRules = before.environments[environment]?.rules ?? [];
      const rules = config.rules.map((rule, index) => {
        const previous = previousRules[index];
        const resumed =
          rule.strategy === 'gradual' && previous?.strategy === 'gradual' && previous.paused && !rule.paused;
        if (!resumed) return rule;
        changed = true;
        return { ...rule, lastStepAt: now.toISOString() };
      });
      return [environment, { ...config, rules }];
    }),
  );
  return changed ? { ...after, environments } : after;
}
