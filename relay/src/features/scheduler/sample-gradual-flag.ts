import type { Flag, RolloutRule } from '@switchyard/core';
import { sampleFlag } from '../../testing/sample-flag.js';

/** For tests: a flag whose only production rule is a gradual rollout from 0 % by 10 points, with `rule` on top. */
export function sampleGradualFlag(name: string, rule: Partial<RolloutRule>): Flag {
  return sampleFlag(name, {
    environments: {
      production: {
        enabled: true,
        rules: [{ strategy: 'gradual', percentage: 0, gradualIncrement: 10, ...rule }],
        fallthrough: { serve: false },
      },
    },
  });
}
