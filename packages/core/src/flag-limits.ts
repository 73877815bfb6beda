/**
 * Size limits validateFlag enforces, so one flag cannot exhaust a relay, a browser or a database
 * document. Override any of them through `validateFlag(input, { limits })`.
 */
export interface FlagLimits {
  /** Longest flag name. */
  maxNameLength: number;
  maxDescriptionLength: number;
  maxOwnerLength: number;
  maxTags: number;
  maxTagLength: number;
  maxVariants: number;
  maxVariantNameLength: number;
  /** Longest variant value, as JSON text. */
  maxVariantValueLength: number;
  maxEnvironments: number;
  maxEnvironmentNameLength: number;
  /** Rules per environment. */
  maxRules: number;
  maxRuleNameLength: number;
  /** user_list entries per rule. */
  maxUserIds: number;
  maxUserIdLength: number;
  /** Conditions (targetingRules) per rule. */
  maxConditions: number;
  /** Values per condition (e.g. the list of an `in`). */
  maxConditionValues: number;
  /** Longest string among condition values and attribute names. */
  maxConditionValueLength: number;
  /** Deepest nesting of objects and arrays anywhere in the input. */
  maxDepth: number;
}

export const DEFAULT_FLAG_LIMITS: Readonly<FlagLimits> = Object.freeze({
  maxNameLength: 128,
  maxDescriptionLength: 4096,
  maxOwnerLength: 256,
  maxTags: 50,
  maxTagLength: 64,
  maxVariants: 100,
  maxVariantNameLength: 64,
  maxVariantValueLength: 65_536,
  maxEnvironments: 50,
  maxEnvironmentNameLength: 64,
  maxRules: 100,
  maxRuleNameLength: 128,
  maxUserIds: 10_000,
  maxUserIdLength: 256,
  maxConditions: 50,
  maxConditionValues: 1_000,
  maxConditionValueLength: 1_024,
  maxDepth: 32,
});

/**
 * No size limits, only the structure (and nesting, which bounds the validator's own work): for
 * tools that read flags a relay holds or will check against its own, possibly raised, limits
 * (the CLI's import plan, the server provider's bootstrap file).
 */
export const STRUCTURAL_FLAG_LIMITS: Readonly<FlagLimits> = Object.freeze({
  ...(Object.fromEntries(
    Object.keys(DEFAULT_FLAG_LIMITS).map((name) => [name, Number.MAX_SAFE_INTEGER]),
  ) as unknown as FlagLimits),
  maxDepth: DEFAULT_FLAG_LIMITS.maxDepth,
});

/** Flag names: kebab-case, the seed's naming convention (`new-dashboard`, `auth-sso-login`). */
export const FLAG_NAME_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Environment names: letters, digits, `_` and `-` (or `*`, every other environment). */
export const ENVIRONMENT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
/** Tolerance of the "variant weights sum to 100" check. */
export const WEIGHT_SUM_TOLERANCE = 1e-9;
/** The default gradual period: one day, the seed's "per day". */
export const DEFAULT_GRADUAL_PERIOD_SECONDS = 86_400;
