import { BUCKET_COUNT, bucketUnits } from './bucketing.js';
import { readBucketKey } from './context-attribute.js';
import { compileFlag, type CompiledEnvironment, type CompiledFlag, type CompiledRule } from './compile-flag.js';
import type { ErrorCode, EvaluationContext, EvaluationResult, Flag, Reason } from './model.js';
import { splitVariant, type FixedValue, type ServedValue } from './served-value.js';

const EMPTY_CONTEXT: EvaluationContext = Object.freeze({});
const KEY_MISSING = -1;
const NOT_SERVED = 0;
const SERVED = 1;

/**
 * Evaluates a validated flag for one environment and context. Never throws: a missing flag,
 * a flag that is not a validated Flag, or a context whose reading throws all come back as
 * reason ERROR with an error code.
 */
export function evaluateFlag(flag: Flag | undefined, flagName: string, environment: string, context: EvaluationContext): EvaluationResult {
  if (flag === undefined || flag === null) {
    return errorResult(flagName, undefined, undefined, 'FLAG_NOT_FOUND', `flag "${String(flagName)}" was not found`);
  }
  let compiled: CompiledFlag;
  try {
    compiled = compileFlag(flag);
  } catch (error) {
    return errorResult(flagName, undefined, undefined, 'PARSE_ERROR', `flag "${String(flagName)}" is invalid: ${describe(error)}`);
  }
  try {
    const ctx = typeof context === 'object' && context !== null ? context : EMPTY_CONTEXT;
    return evaluateCompiled(compiled, flagName, environment, ctx);
  } catch (error) {
    const off = compiled.off;
    return errorResult(flagName, off.value, off.variant, 'INVALID_CONTEXT', `the evaluation context could not be read: ${describe(error)}`);
  }
}

/** Evaluates a compiled flag; may throw if reading the context throws (evaluateFlag catches that). */
export function evaluateCompiled(compiled: CompiledFlag, flagName: string, environment: string, context: EvaluationContext): EvaluationResult {
  const env = compiled.environments.get(environment) ?? compiled.anyEnvironment;
  const off = compiled.off;
  if (env === undefined || !env.enabled) return result(flagName, off.value, off.variant, false, 'DISABLED');
  let keyMissing = false;
  const rules = env.rules;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const outcome = ruleServes(rule, context);
    if (outcome === NOT_SERVED) continue;
    if (outcome === KEY_MISSING) {
      keyMissing = true;
      continue;
    }
    const served = serve(rule.served, context, rule.bucketBy, flagName, rule.reason, rule);
    if (served !== undefined) return served;
    keyMissing = true;
  }
  if (keyMissing) return keyMissingResult(flagName, off);
  if (env.fallthrough === undefined) return result(flagName, off.value, off.variant, false, env.fallthroughReason);
  return serve(env.fallthrough, context, compiled.bucketBy, flagName, env.fallthroughReason, undefined) ?? keyMissingResult(flagName, off);
}

function ruleServes(rule: CompiledRule, context: EvaluationContext): number {
  if (rule.userIds !== undefined) {
    const key = readBucketKey(context, 'targetingKey');
    if (key === undefined) return KEY_MISSING;
    return rule.userIds.has(key) ? SERVED : NOT_SERVED;
  }
  const conditions = rule.conditions;
  if (conditions.length > 0) {
    let matched = !rule.matchAny;
    for (let i = 0; i < conditions.length; i++) {
      if (conditions[i]!(context) === rule.matchAny) {
        matched = rule.matchAny;
        break;
      }
    }
    if (!matched) return NOT_SERVED;
  }
  if (rule.threshold >= BUCKET_COUNT) return SERVED;
  if (rule.threshold <= 0) return NOT_SERVED;
  const key = readBucketKey(context, rule.bucketBy);
  if (key === undefined) return KEY_MISSING;
  return bucketUnits(rule.rolloutPrefix, key) < rule.threshold ? SERVED : NOT_SERVED;
}

/** The served result (by `rule`, or the fallthrough), or undefined when a split needs a bucketing key the context lacks. */
function serve(
  served: ServedValue,
  context: EvaluationContext,
  bucketBy: string,
  flagName: string,
  reason: Reason,
  rule: CompiledRule | undefined,
): EvaluationResult | undefined {
  let value = served.split ? undefined : served.value;
  let variant = served.split ? undefined : served.variant;
  if (served.split) {
    const key = readBucketKey(context, bucketBy);
    if (key === undefined) return undefined;
    const picked = splitVariant(served, key);
    value = picked.value;
    variant = picked.name;
  }
  if (rule === undefined) return result(flagName, value, variant, true, reason);
  // One literal per shape: adding properties afterwards would make results polymorphic.
  if (rule.name === undefined) return { flagName, value, variant, enabled: true, reason, ruleIndex: rule.index };
  return { flagName, value, variant, enabled: true, reason, ruleIndex: rule.index, ruleName: rule.name };
}

function result(flagName: string, value: EvaluationResult['value'], variant: string | undefined, enabled: boolean, reason: Reason): EvaluationResult {
  return { flagName, value, variant, enabled, reason };
}

function keyMissingResult(flagName: string, off: FixedValue): EvaluationResult {
  const message = 'no rule could decide without a bucketing key: the context lacks the targetingKey (or the bucketBy attribute)';
  return errorResult(flagName, off.value, off.variant, 'TARGETING_KEY_MISSING', message);
}

function errorResult(flagName: string, value: EvaluationResult['value'], variant: string | undefined, errorCode: ErrorCode, errorMessage: string): EvaluationResult {
  return { flagName, value, variant, enabled: false, reason: 'ERROR', errorCode, errorMessage };
}

function describe(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unknown error';
  }
}
