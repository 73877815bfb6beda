import type { BenchFlag, BenchFlagShape } from '../relay/bench-flags.js';

/**
 * The bench flags as Unleash's client features file (what `unleash-edge offline --bootstrap-file`
 * serves): a boolean flag is on when one of its strategies says so, so "rule, then 25%, else off"
 * becomes two flexible rollouts (100% of the constrained users, then 25% by userId), "country and plan"
 * one strategy with both constraints (constraints are ANDed), and "on" the default strategy.
 * Percentages hash differently (Unleash: murmur3 of `groupId:userId`), so one user may fall on
 * different sides of the 25% in the two systems; the work per request is the same.
 */
export function unleashFeatures(flags: BenchFlag[]): Record<string, unknown> {
  return {
    version: 2,
    features: flags.map((flag) => ({
      name: flag.name,
      type: 'release',
      project: 'default',
      enabled: true,
      stale: false,
      impressionData: false,
      strategies: strategies(flag.name, flag.shape),
      variants: [],
    })),
  };
}

function strategies(name: string, shape: BenchFlagShape): unknown[] {
  switch (shape) {
    case 'premium-then-25':
      return [rollout(name, 100, [constraint('plan', ['premium'])]), rollout(name, 25, [])];
    case 'country-and-plan':
      return [rollout(name, 100, [constraint('country', ['US', 'CA', 'GB']), constraint('plan', ['free', 'pro'])])];
    case 'on':
      return [{ name: 'default', parameters: {}, constraints: [] }];
  }
}

function rollout(groupId: string, percentage: number, constraints: unknown[]): unknown {
  return {
    name: 'flexibleRollout',
    parameters: { rollout: String(percentage), stickiness: 'userId', groupId },
    constraints,
  };
}

function constraint(contextName: string, values: string[]): unknown {
  return { contextName, operator: 'IN', values, inverted: false, caseInsensitive: false };
}
