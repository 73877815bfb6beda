import { BUCKET_COUNT, bucketPrefix, percentageToUnits, ROLLOUT_SALT } from './bucketing.js';
import type { Murmur3State } from './murmur3.js';
import { ANY_ENVIRONMENT, type EnvironmentConfig, type Flag, type Reason, type RolloutRule } from './model.js';
import { compileCondition, type ConditionTest } from './operators.js';
import { InvalidFlagError, offValue, servedValue, type FixedValue, type ServedValue } from './served-value.js';

/** The bucketing attribute when neither the rule nor the flag names one. */
export const DEFAULT_BUCKET_BY = 'targetingKey';

export interface CompiledRule {
  readonly index: number;
  readonly name: string | undefined;
  readonly reason: Reason;
  /** user_list only. */
  readonly userIds: ReadonlySet<string> | undefined;
  /** user_attribute only; empty otherwise. */
  readonly conditions: readonly ConditionTest[];
  readonly matchAny: boolean;
  /** Bucket units below which a user is served: 0 serves nobody, BUCKET_COUNT everybody (no key needed). */
  readonly threshold: number;
  readonly bucketBy: string;
  readonly rolloutPrefix: Murmur3State;
  readonly served: ServedValue;
}

export interface CompiledEnvironment {
  readonly enabled: boolean;
  readonly rules: readonly CompiledRule[];
  /** undefined: the fallthrough serves the off value. */
  readonly fallthrough: ServedValue | undefined;
  readonly fallthroughReason: Reason;
}

export interface CompiledFlag {
  readonly flag: Flag;
  readonly bucketBy: string;
  readonly off: FixedValue;
  readonly environments: ReadonlyMap<string, CompiledEnvironment>;
  readonly anyEnvironment: CompiledEnvironment | undefined;
}

const compiled = new WeakMap<Flag, CompiledFlag>();
// The last flag compiled or looked up: repeated evaluations of one flag skip the WeakMap.
let lastFlag: Flag | undefined;
let lastCompiled: CompiledFlag | undefined;

/**
 * Precomputes what evaluation needs (hash prefixes, condition tests, user id sets, variant
 * thresholds), once per flag object: flags are treated as immutable, replaced not edited.
 * Throws InvalidFlagError on a flag that did not come from validateFlag.
 */
export function compileFlag(flag: Flag): CompiledFlag {
  if (flag === lastFlag && lastCompiled !== undefined) return lastCompiled;
  let result = compiled.get(flag);
  if (result === undefined) {
    result = compileUncached(flag);
    compiled.set(flag, result);
  }
  lastFlag = flag;
  lastCompiled = result;
  return result;
}

function compileUncached(flag: Flag): CompiledFlag {
  if (typeof flag !== 'object' || flag === null || typeof flag.environments !== 'object' || flag.environments === null) {
    throw new InvalidFlagError('not a validated flag: environments missing');
  }
  if (!Array.isArray(flag.variants)) throw new InvalidFlagError('not a validated flag: variants missing');
  const bucketBy = flag.bucketBy ?? DEFAULT_BUCKET_BY;
  const environments = new Map<string, CompiledEnvironment>();
  for (const [name, config] of Object.entries(flag.environments)) environments.set(name, compileEnvironment(flag, config, bucketBy));
  return { flag, bucketBy, off: offValue(flag), environments, anyEnvironment: environments.get(ANY_ENVIRONMENT) };
}

function compileEnvironment(flag: Flag, config: EnvironmentConfig, bucketBy: string): CompiledEnvironment {
  if (typeof config !== 'object' || config === null || !Array.isArray(config.rules) || typeof config.fallthrough !== 'object') {
    throw new InvalidFlagError(`flag "${flag.name}": an environment lacks rules or fallthrough`);
  }
  const rules = config.rules.map((rule, index) => compileRule(flag, rule, index, bucketBy));
  const fallthrough = config.fallthrough.serve ? servedValue(flag, config.fallthrough.variant) : undefined;
  let fallthroughReason: Reason = rules.length === 0 ? 'STATIC' : 'DEFAULT';
  if (fallthrough?.split === true) fallthroughReason = 'SPLIT';
  return { enabled: config.enabled === true, rules, fallthrough, fallthroughReason };
}

function compileRule(flag: Flag, rule: RolloutRule, index: number, flagBucketBy: string): CompiledRule {
  const ruleBucketBy = rule.bucketBy ?? flagBucketBy;
  const base = {
    index,
    name: rule.name,
    bucketBy: ruleBucketBy,
    rolloutPrefix: bucketPrefix(flag.name, ROLLOUT_SALT),
    served: servedValue(flag, rule.variant),
  };
  switch (rule.strategy) {
    case 'percentage':
    case 'gradual':
      return { ...base, reason: 'SPLIT', userIds: undefined, conditions: [], matchAny: false, threshold: percentageToUnits(rule.percentage ?? 0) };
    case 'user_list':
      return { ...base, reason: 'TARGETING_MATCH', userIds: new Set(rule.userIds ?? []), conditions: [], matchAny: false, threshold: BUCKET_COUNT };
    case 'user_attribute':
      return {
        ...base,
        reason: 'TARGETING_MATCH',
        userIds: undefined,
        conditions: (rule.targetingRules ?? []).map(compileCondition),
        matchAny: rule.match === 'any',
        threshold: percentageToUnits(rule.percentage ?? 100),
      };
    default:
      throw new InvalidFlagError(`flag "${flag.name}": unknown strategy in rule ${index}`);
  }
}
