/**
 * The flag model: the canonical, validated shape every Switchyard component shares.
 *
 * Input may also come in the seed's shape (flag-level `enabled`, one `rolloutConfig`,
 * an `environments` list); `validateFlag` turns either shape into this one.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const FLAG_VALUE_TYPES = ['boolean', 'string', 'number', 'object'] as const;
export type FlagValueType = (typeof FLAG_VALUE_TYPES)[number];

export interface Variant {
  /** Unique within the flag; what analytics and OpenFeature call the variant. */
  name: string;
  value: JsonValue;
  /** Share of served users, in percent. All weights of a flag sum to 100. */
  weight: number;
}

export const ROLLOUT_STRATEGIES = ['percentage', 'user_list', 'user_attribute', 'gradual'] as const;
export type RolloutStrategy = (typeof ROLLOUT_STRATEGIES)[number];

export const OPERATORS = [
  'equals',
  'not_equals',
  'in',
  'not_in',
  'contains',
  'not_contains',
  'starts_with',
  'ends_with',
  'greater_than',
  'greater_than_or_equal',
  'less_than',
  'less_than_or_equal',
  'semver_equals',
  'semver_greater_than',
  'semver_less_than',
  'date_before',
  'date_after',
  'exists',
  'not_exists',
] as const;
export type Operator = (typeof OPERATORS)[number];

/** One condition on the user context (the seed's TargetingRule). */
export interface TargetingRule {
  /** Context attribute: `userId`, `email`, `role`, `plan`, `country` or any custom attribute. */
  attribute: string;
  operator: Operator;
  values: JsonPrimitive[];
  /** Invert the outcome (a missing attribute still fails the condition). */
  negate?: boolean;
  /** Compare strings case-insensitively. */
  caseInsensitive?: boolean;
}

/**
 * One rule: the seed's RolloutConfig, usable as an entry of an ordered rule list.
 * A rule "serves" a user when its strategy selects them; the first serving rule wins.
 */
export interface RolloutRule {
  /** Optional label, reported in evaluation results and analytics. */
  name?: string;
  strategy: RolloutStrategy;
  /** percentage/gradual: share of users served, 0..100. user_attribute: share of matching users (default 100). */
  percentage?: number;
  /** user_list: the user ids served. */
  userIds?: string[];
  /** user_attribute: conditions on the context. */
  targetingRules?: TargetingRule[];
  /** user_attribute: `all` (default) requires every condition, `any` requires one. */
  match?: 'all' | 'any';
  /** gradual: when the rollout starts (ISO 8601). */
  startDate?: string;
  /** gradual: percent added per period. */
  gradualIncrement?: number;
  /** gradual: the period's length in seconds (default 86400, "per day"). */
  gradualPeriodSeconds?: number;
  /** gradual: the ceiling (default 100). */
  maxPercentage?: number;
  /** gradual: a paused rollout keeps its percentage until resumed. */
  paused?: boolean;
  /** gradual: when the scheduler last raised the percentage (ISO 8601); the next step is due one period later. */
  lastStepAt?: string;
  /** Serve this variant instead of splitting by weight. */
  variant?: string;
  /** Context attribute hashed for bucketing in this rule (default: the flag's `bucketBy`). */
  bucketBy?: string;
}

/** What users that no rule serves get. */
export interface Fallthrough {
  /** true: served (the named variant, or the weighted split); false: the off value. */
  serve: boolean;
  variant?: string;
}

/** A flag's configuration in one environment. */
export interface EnvironmentConfig {
  enabled: boolean;
  /** Ordered; the first rule that serves the user wins. */
  rules: RolloutRule[];
  fallthrough: Fallthrough;
}

/** Key of `Flag.environments` whose configuration applies to every environment not listed. */
export const ANY_ENVIRONMENT = '*';

export interface Flag {
  /** The OpenFeature flag key, kebab-case. */
  name: string;
  description: string;
  owner?: string;
  tags: string[];
  type: FlagValueType;
  /** Empty for a plain boolean flag: served is `true`, off is `false`. */
  variants: Variant[];
  /** Variant served when the flag is off for a user; absent: `false` for booleans, else the caller's default. */
  offVariant?: string;
  /** Context attribute hashed for bucketing (default `targetingKey`, i.e. the user id). */
  bucketBy?: string;
  /** Per environment; `*` applies to environments not listed; an environment in neither is off. */
  environments: Record<string, EnvironmentConfig>;
  /**
   * Whether client keys (browsers, the web provider) may see the flag: false keeps it server-only,
   * so to a client key it does not exist. Absent: the relay's default (SWITCHYARD_FLAG_CLIENT_VISIBLE_DEFAULT).
   */
  clientVisible?: boolean;
  /** Incremented by every write; writes name the version they read. */
  version: number;
  createdAt?: string;
  updatedAt?: string;
}

/** The seed's UserContext, camelCased. */
export interface UserContext {
  userId?: string;
  email?: string;
  role?: string;
  plan?: string;
  country?: string;
  attributes?: Record<string, JsonValue>;
}

/** OpenFeature's evaluation context, flattened: attributes sit beside `targetingKey`. */
export interface EvaluationContext {
  targetingKey?: string;
  [attribute: string]: JsonValue | Date | undefined;
}

export const REASONS = ['TARGETING_MATCH', 'SPLIT', 'DISABLED', 'DEFAULT', 'STATIC', 'ERROR'] as const;
export type Reason = (typeof REASONS)[number];

export const ERROR_CODES = [
  'FLAG_NOT_FOUND',
  'TYPE_MISMATCH',
  'TARGETING_KEY_MISSING',
  'PARSE_ERROR',
  'INVALID_CONTEXT',
  'GENERAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface EvaluationResult {
  flagName: string;
  /** undefined: no value to serve, the caller's default applies. */
  value: JsonValue | undefined;
  variant?: string;
  /** Whether the flag is on for this user (a rule or the fallthrough served them). */
  enabled: boolean;
  reason: Reason;
  errorCode?: ErrorCode;
  errorMessage?: string;
  /** Index of the rule that served the user, when one did. */
  ruleIndex?: number;
  ruleName?: string;
}

/** One validation problem: where, and what was expected there. */
export interface Problem {
  /** Dotted path into the input, e.g. `environments.production.rules[0].percentage`. */
  path: string;
  expected: string;
  message: string;
}
