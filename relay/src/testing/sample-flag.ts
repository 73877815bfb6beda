import type { Flag } from '@switchyard/core';

/** A small valid flag for tests: boolean, on in `production` for 50 % of users, off elsewhere. */
export function sampleFlag(name: string, overrides: Partial<Flag> = {}): Flag {
  return {
    name,
    description: `the ${name} flag`,
    tags: ['sample'],
    type: 'boolean',
    variants: [],
    environments: {
      production: {
        enabled: true,
        rules: [{ strategy: 'percentage', percentage: 50 }],
        fallthrough: { serve: false },
      },
    },
    version: 1,
    ...overrides,
  };
}
