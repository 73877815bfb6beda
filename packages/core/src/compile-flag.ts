import { BUCKET_COUNT, bucketPrefix, percentageToUnits, ROLLOUT_SALT } from './bucketing.js';
import { FlagProgram } from './flag-program.js';
import type { Murmur3State } from './murmur3.js';
import {
  ANY_ENVIRONMENT,
  type EnvironmentConfig,
  type ErrorCode,
  type EvaluationResult,
  type Flag,
  type Reason,
  type RolloutRule,
  type TargetingRule,
} from './model.js';
import {
  compileValueTest,
  generalValueTest,
  STRING_CONTAINS,
  STRING_EQUALS_ONE,
  STRING_IN_FEW,
  stringFastPath,
  type ValueTest,
} from './operators.js';
import { attributeSlot, conditionId } from './prepared-context.js';
import { InvalidFlagError, offValue, servedValue, type FixedValue, type ServedValue } from './served-value.js';

/** The bucketing attribute when neither the rule nor the flag names one. */
export const DEFAULT_BUCKET_BY = 'targetingKey';

/**
 * A condition on the attribute in `slot`. Equal conditions compile to one shared object (flags
 * often repeat a condition): fewer objects to keep in cache when many flags are evaluated, and an
 * evaluation decides each distinct condition once (PreparedContext keeps the outcome by `id`).
 */
export class CompiledCondition {
  /** The condition on the attribute's value, as one function (what generated evaluators call). */
  readonly test: ValueTest;
  /** What `holds` runs for values the string fast path does not decide. */
  private readonly general: ValueTest;
  /** The string fast path (STRING_EQUALS_ONE, …), 0 for none, with its operands. */
  private readonly match: number;
  private readonly first: string;
  private readonly parts: readonly string[];
  private readonly inverted: boolean;

  constructor(
    readonly id: number,
    readonly slot: number,
    condition: TargetingRule,
  ) {
    this.test = compileValueTest(condition);
    this.general = generalValueTest(condition);
    const fast = stringFastPath(condition);
    this.match = fast?.match ?? 0;
    this.parts = fast?.parts ?? [];
    this.first = this.parts[0] ?? '';
    this.inverted = fast?.inverted ?? false;
  }

  /**
   * Whether the attribute's value satisfies the condition, as `test` says; the commonest string
   * conditions are decided here, in the caller's code, without a call through a closure.
   */
  holds(value: unknown): boolean {
    if (typeof value === 'string') {
      const match = this.match;
      if (match === STRING_EQUALS_ONE) return (value === this.first) !== this.inverted;
      if (match === STRING_CONTAINS) return value.includes(this.first) !== this.inverted;
      if (match === STRING_IN_FEW) {
        const parts = this.parts;
        for (let i = 0; i < parts.length; i++) if (parts[i] === value) return !this.inverted;
        return this.inverted;
      }
    }
    return this.general(value);
  }
}

/** Compiled conditions by their JSON; cleared when it reaches this size (it only saves memory and time). */
const MAX_SHARED_CONDITIONS = 10_000;
const sharedConditions = new Map<string, CompiledCondition>();

function compileSharedCondition(condition: TargetingRule): CompiledCondition {
  const { attribute, operator, values } = condition;
  const key = JSON.stringify([
    attribute,
    operator,
    values,
    condition.negate === true,
    condition.caseInsensitive === true,
  ]);
  let compiled = sharedConditions.get(key);
  if (compiled === undefined) {
    if (sharedConditions.size >= MAX_SHARED_CONDITIONS) sharedConditions.clear();
    compiled = new CompiledCondition(conditionId(), attributeSlot(attribute), condition);
    sharedConditions.set(key, compiled);
  }
  return compiled;
}

/** One rule, in one shape for every strategy so evaluation reads it monomorphically. */
export class CompiledRule implements Murmur3State {
  /** The rollout hash's prefix state, kept here rather than in an object of its own. */
  readonly h1: number;
  readonly tail: number;
  readonly shift: number;
  readonly length: number;

  constructor(
    /** user_list only. */
    readonly userIds: ReadonlySet<string> | undefined,
    /** user_attribute only; empty otherwise. */
    readonly conditions: readonly CompiledCondition[],
    readonly matchAny: boolean,
    /** Bucket units below which a user is served: 0 serves nobody, BUCKET_COUNT everybody (no key needed). */
    readonly threshold: number,
    /** Slot of the attribute hashed for the rollout and the split. */
    readonly bucketSlot: number,
    rolloutPrefix: Murmur3State,
    readonly served: ServedValue,
  ) {
    this.h1 = rolloutPrefix.h1;
    this.tail = rolloutPrefix.tail;
    this.shift = rolloutPrefix.shift;
    this.length = rolloutPrefix.length;
  }
}

/** A flag's configuration for one environment, with its fixed results computed in advance. */
export class CompiledEnvironment {
  private laidOut: FlagProgram | undefined;

  constructor(
    readonly enabled: boolean,
    readonly rules: readonly CompiledRule[],
    /** undefined: the fallthrough serves the off value (`offResult`). */
    readonly fallthrough: ServedValue | undefined,
    readonly fallthroughSlot: number,
    /** The result when the flag is off here: DISABLED, or the fallthrough's off value. */
    readonly offResult: EvaluationResult,
    /** The result when no rule could decide for want of a bucketing key. */
    readonly keyMissingResult: EvaluationResult,
  ) {}

  /** This configuration as a program of one flag (flag 0), laid out on first use. */
  get program(): FlagProgram {
    return (this.laidOut ??= new FlagProgram([this]));
  }
}

export interface CompiledFlag {
  readonly flag: Flag;
  readonly off: FixedValue;
  readonly environments: ReadonlyMap<string, CompiledEnvironment>;
  /** For an environment not listed: `*`'s configuration, else off (DISABLED). */
  readonly otherEnvironments: CompiledEnvironment;
}

const compiled = new WeakMap<Flag, CompiledFlag>();
// The last flag compiled or looked up: repeated evaluations of one flag skip the WeakMap.
let lastFlag: Flag | undefined;
let lastCompiled: CompiledFlag | undefined;

/**
 * Precomputes what evaluation needs (hash prefixes, condition tests, user id sets, variant
 * thresholds, every result a rule can give), once per flag object: flags are treated as
 * immutable, replaced not edited. Throws InvalidFlagError on a flag that did not come from validateFlag.
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

/** The configuration that applies to `environment`: its own, else `*`'s, else off. */
export function compiledEnvironment(flag: CompiledFlag, environment: string): CompiledEnvironment {
  return flag.environments.get(environment) ?? flag.otherEnvironments;
}

function compileUncached(flag: Flag): CompiledFlag {
  if (
    typeof flag !== 'object' ||
    flag === null ||
    typeof flag.environments !== 'object' ||
    flag.environments === null
  ) {
    throw new InvalidFlagError('not a validated flag: environments missing');
  }
  if (!Array.isArray(flag.variants)) throw new InvalidFlagError('not a validated flag: variants missing');
  const off = offValue(flag);
  const bucketBy = flag.bucketBy ?? DEFAULT_BUCKET_BY;
  const environments = new Map<string, CompiledEnvironment>();
  for (const [name, config] of Object.entries(flag.environments))
    environments.set(name, compileEnvironment(flag, config, bucketBy, off));
  const otherEnvironments =
    environments.get(ANY_ENVIRONMENT) ??
    new CompiledEnvironment(
      false,
      [],
      undefined,
      0,
      offResult(flag.name, off, false, 'DISABLED'),
      keyMissingResult(flag.name, off),
    );
  return { flag, off, environments, otherEnvironments };
}

function compileEnvironment(
  flag: Flag,
  config: EnvironmentConfig,
  bucketBy: string,
  off: FixedValue,
): CompiledEnvironment {
  if (
    typeof config !== 'object' ||
    config === null ||
    !Array.isArray(config.rules) ||
    typeof config.fallthrough !== 'object'
  ) {
    throw new InvalidFlagError(`flag "${flag.name}": an environment lacks rules or fallthrough`);
  }
  const rules = config.rules.map((rule, index) => compileRule(flag, rule, index, bucketBy));
  const { serve, variant } = config.fallthrough;
  let reason: Reason = rules.length === 0 ? 'STATIC' : 'DEFAULT';
  if (serve && variant === undefined && flag.variants.filter((v) => v.weight > 0).length > 1) reason = 'SPLIT';
  const fallthrough = serve ? servedValue(flag, variant, reason, undefined) : undefined;
  const enabled = config.enabled === true;
  const offHere = offResult(flag.name, off, false, enabled ? reason : 'DISABLED');
  return new CompiledEnvironment(
    enabled,
    rules,
    fallthrough,
    attributeSlot(bucketBy),
    offHere,
    keyMissingResult(flag.name, off),
  );
}

function compileRule(flag: Flag, rule: RolloutRule, index: number, flagBucketBy: string): CompiledRule {
  const bucketSlot = attributeSlot(rule.bucketBy ?? flagBucketBy);
  const prefix = bucketPrefix(flag.name, ROLLOUT_SALT);
  const server = { index, name: rule.name };
  switch (rule.strategy) {
    case 'percentage':
    case 'gradual':
      return new CompiledRule(
        undefined,
        [],
        false,
        percentageToUnits(rule.percentage ?? 0),
        bucketSlot,
        prefix,
        servedValue(flag, rule.variant, 'SPLIT', server),
      );
    case 'user_list':
      return new CompiledRule(
        new Set(rule.userIds ?? []),
        [],
        false,
        BUCKET_COUNT,
        bucketSlot,
        prefix,
        servedValue(flag, rule.variant, 'TARGETING_MATCH', server),
      );
    case 'user_attribute': {
      const conditions = (rule.targetingRules ?? []).map(compileSharedCondition);
      const threshold = percentageToUnits(rule.percentage ?? 100);
      return new CompiledRule(
        undefined,
        conditions,
        rule.match === 'any',
        threshold,
        bucketSlot,
        prefix,
        servedValue(flag, rule.variant, 'TARGETING_MATCH', server),
      );
    }
    default:
      throw new InvalidFlagError(`flag "${flag.name}": unknown strategy in rule ${index}`);
  }
}

function offResult(flagName: string, off: FixedValue, enabled: boolean, reason: Reason): EvaluationResult {
  return Object.freeze({ flagName, value: off.value, variant: off.variant, enabled, reason });
}

function keyMissingResult(flagName: string, off: FixedValue): EvaluationResult {
  const message =
    'no rule could decide without a bucketing key: the context lacks the targetingKey (or the bucketBy attribute)';
  return errorResult(flagName, off, 'TARGETING_KEY_MISSING', message);
}

/** An error result: the flag's off value (or none) with the code and message. */
export function errorResult(
  flagName: string,
  off: FixedValue | undefined,
  errorCode: ErrorCode,
  errorMessage: string,
): EvaluationResult {
  return Object.freeze({
    flagName,
    value: off?.value,
    variant: off?.variant,
    enabled: false,
    reason: 'ERROR',
    errorCode,
    errorMessage,
  });
}
