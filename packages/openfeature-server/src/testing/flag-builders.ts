import type { EnvironmentConfig, Flag, JsonValue, RolloutRule } from '@switchyard/core';

const ENVIRONMENT = 'production';

function environmentConfig(
  enabled: boolean,
  rules: RolloutRule[] = [],
  variant?: string,
): Record<string, EnvironmentConfig> {
  return {
    [ENVIRONMENT]: { enabled, rules, fallthrough: variant === undefined ? { serve: true } : { serve: true, variant } },
  };
}

/** A plain boolean flag: on serves `true` to everyone, off serves `false`. */
export function booleanFlag(name: string, enabled = true, version = 1): Flag {
  return {
    name,
    description: '',
    tags: [],
    type: 'boolean',
    variants: [],
    environments: environmentConfig(enabled),
    version,
  };
}

/** A flag with one variant per value, serving `served` to everyone when on. */
export function variantFlag(
  name: string,
  values: Record<string, JsonValue>,
  served: string,
  enabled = true,
  version = 1,
): Flag {
  const names = Object.keys(values);
  const first = typeof values[names[0] ?? ''];
  const type =
    first === 'object' ? 'object' : first === 'number' ? 'number' : first === 'boolean' ? 'boolean' : 'string';
  return {
    name,
    description: '',
    tags: [],
    type,
    variants: names.map((variant, index) => ({
      name: variant,
      value: values[variant] ?? null,
      weight: index === 0 ? 100 : 0,
    })),
    environments: environmentConfig(enabled, [], served),
    version,
  };
}

/** A boolean flag served only to the listed users (the seed's user_list strategy). */
export function userListFlag(name: string, userIds: string[]): Flag {
  return {
    ...booleanFlag(name),
    environments: {
      [ENVIRONMENT]: { enabled: true, rules: [{ strategy: 'user_list', userIds }], fallthrough: { serve: false } },
    },
  };
}

/** A boolean flag on for a percentage of users: needs a targeting key. */
export function percentageFlag(name: string, percentage: number): Flag {
  return {
    ...booleanFlag(name),
    environments: {
      [ENVIRONMENT]: { enabled: true, rules: [{ strategy: 'percentage', percentage }], fallthrough: { serve: false } },
    },
  };
}
