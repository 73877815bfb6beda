/**
 * The flags the relay benchmarks serve, in three shapes that recur in one environment: a premium rule
 * then 25% of everyone else; country and plan both in a list; plainly on. The Edge bench translates the
 * same set into Unleash's features file (edge/unleash-features.ts).
 */
export type BenchFlagShape = 'premium-then-25' | 'country-and-plan' | 'on';

export interface BenchFlag {
  name: string;
  shape: BenchFlagShape;
}

const SHAPES: readonly BenchFlagShape[] = ['premium-then-25', 'country-and-plan', 'on'];

export function benchFlags(count: number): BenchFlag[] {
  return Array.from({ length: count }, (_, i) => ({ name: `bench-flag-${i}`, shape: SHAPES[i % SHAPES.length]! }));
}

/** The user every request evaluates for (the same context for both relays). */
export const BENCH_USER = { userId: 'user-42', email: 'user@example.com', plan: 'free', country: 'US' } as const;

/** The flag as `POST /api/v1/feature-flags` takes it (boolean, production only). */
export function switchyardFlag(flag: BenchFlag): Record<string, unknown> {
  return {
    name: flag.name,
    description: `bench flag (${flag.shape})`,
    environments: {
      production: { enabled: true, rules: switchyardRules(flag.shape), fallthrough: { serve: flag.shape === 'on' } },
    },
  };
}

function switchyardRules(shape: BenchFlagShape): unknown[] {
  switch (shape) {
    case 'premium-then-25':
      return [
        {
          strategy: 'user_attribute',
          targetingRules: [{ attribute: 'plan', operator: 'equals', values: ['premium'] }],
        },
        { strategy: 'percentage', percentage: 25 },
      ];
    case 'country-and-plan':
      return [
        {
          strategy: 'user_attribute',
          targetingRules: [
            { attribute: 'country', operator: 'in', values: ['US', 'CA', 'GB'] },
            { attribute: 'plan', operator: 'in', values: ['free', 'pro'] },
          ],
        },
      ];
    case 'on':
      return [];
  }
}
