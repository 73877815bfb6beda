import { DEFAULT_FLAG_LIMITS, type FlagLimits } from '@switchyard/core';
import type { SettingOf } from './setting-definition.js';
import { wholeNumber } from './whole-number.js';

/**
 * The limits of core's validateFlag the relay lets operators set. The other two follow
 * SWITCHYARD_ENVIRONMENTS (see flagLimitsOf), whose names are at most 64 characters anyway.
 */
type ConfigurableFlagLimit = Exclude<keyof FlagLimits, 'maxEnvironments' | 'maxEnvironmentNameLength'>;

/** `maxUserIds` → the relay setting `flagMaxUserIds` (SWITCHYARD_FLAG_MAX_USER_IDS, --flag-max-user-ids). */
export type FlagLimitSettings = { [K in ConfigurableFlagLimit as `flag${Capitalize<K>}`]: number };

interface FlagLimitDoc {
  /** Highest value accepted: beyond it a flag would strain the store (a MongoDB document holds 16 MiB) or the clients. */
  max: number;
  valueName: 'count' | 'characters' | 'levels';
  description: string;
}

const FLAG_LIMITS: Record<ConfigurableFlagLimit, FlagLimitDoc> = {
  maxNameLength: { max: 512, valueName: 'characters', description: 'Longest flag name.' },
  maxDescriptionLength: { max: 65_536, valueName: 'characters', description: 'Longest flag description.' },
  maxOwnerLength: { max: 4_096, valueName: 'characters', description: 'Longest flag owner.' },
  maxTags: { max: 1_000, valueName: 'count', description: 'Most tags of one flag.' },
  maxTagLength: { max: 1_024, valueName: 'characters', description: 'Longest tag.' },
  maxVariants: { max: 10_000, valueName: 'count', description: 'Most variants of one flag.' },
  maxVariantNameLength: { max: 1_024, valueName: 'characters', description: 'Longest variant name.' },
  maxVariantValueLength: {
    max: 1_048_576,
    valueName: 'characters',
    description: 'Longest variant value, as JSON text.',
  },
  maxRules: { max: 10_000, valueName: 'count', description: 'Most targeting rules of one environment of a flag.' },
  maxRuleNameLength: { max: 1_024, valueName: 'characters', description: 'Longest rule name.' },
  maxUserIds: { max: 1_000_000, valueName: 'count', description: 'Most user ids of one user_list rule.' },
  maxUserIdLength: { max: 4_096, valueName: 'characters', description: 'Longest user id in a user_list rule.' },
  maxConditions: { max: 1_000, valueName: 'count', description: 'Most conditions (targetingRules) of one rule.' },
  maxConditionValues: {
    max: 100_000,
    valueName: 'count',
    description: 'Most values of one condition (e.g. the list of an `in`).',
  },
  maxConditionValueLength: {
    max: 65_536,
    valueName: 'characters',
    description: 'Longest string among condition values and attribute names.',
  },
  maxDepth: {
    max: 256,
    valueName: 'levels',
    description: 'Deepest nesting of objects and arrays in a flag (variant values included).',
  },
};

const CONFIGURABLE = Object.keys(FLAG_LIMITS) as ConfigurableFlagLimit[];

function settingKey<K extends ConfigurableFlagLimit>(limit: K): `flag${Capitalize<K>}` {
  return `flag${limit[0]!.toUpperCase()}${limit.slice(1)}` as `flag${Capitalize<K>}`;
}

function words(limit: string): string[] {
  return limit.split(/(?=[A-Z])/).map((word) => word.toLowerCase());
}

/** One setting per configurable limit, defaulting to core's DEFAULT_FLAG_LIMITS. */
export const FLAG_LIMIT_SETTINGS: readonly SettingOf<keyof FlagLimitSettings, number>[] = CONFIGURABLE.map((limit) => ({
  key: settingKey(limit),
  env: `SWITCHYARD_FLAG_${words(limit).join('_').toUpperCase()}`,
  flag: `--flag-${words(limit).join('-')}`,
  valueName: FLAG_LIMITS[limit].valueName,
  description: `${FLAG_LIMITS[limit].description} A write over it gets 400.`,
  default: DEFAULT_FLAG_LIMITS[limit],
  parse: wholeNumber(1, FLAG_LIMITS[limit].max),
}));

/**
 * The limits validateFlag applies on this relay. A flag may configure every environment the relay
 * knows plus `*`, so maxEnvironments grows with SWITCHYARD_ENVIRONMENTS beyond core's default.
 */
export function flagLimitsOf(settings: FlagLimitSettings & { environments: readonly string[] }): FlagLimits {
  const limits: FlagLimits = { ...DEFAULT_FLAG_LIMITS };
  for (const limit of CONFIGURABLE) limits[limit] = settings[settingKey(limit)];
  limits.maxEnvironments = Math.max(DEFAULT_FLAG_LIMITS.maxEnvironments, settings.environments.length + 1);
  return limits;
}
