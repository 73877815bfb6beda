import { BUCKET_COUNT, bucketUnits } from './bucketing.js';
import {
  compiledEnvironment,
  compileFlag,
  errorResult,
  type CompiledEnvironment,
  type CompiledFlag,
} from './compile-flag.js';
import type { EvaluationContext, EvaluationResult, Flag } from './model.js';
import {
  acquirePreparedContext,
  releasePreparedContext,
  TARGETING_KEY_SLOT,
  type PreparedContext,
} from './prepared-context.js';

const EMPTY_CONTEXT: EvaluationContext = Object.freeze({});

/** Anything but an object reads as the empty context. */
export function contextOrEmpty(context: EvaluationContext): EvaluationContext {
  return typeof context === 'object' && context !== null ? context : EMPTY_CONTEXT;
}

/**
 * Evaluates a validated flag for one environment and context. Never throws: a missing flag,
 * a flag that is not a validated Flag, or a context whose reading throws all come back as
 * reason ERROR with an error code.
 *
 * Results are frozen and may be shared between evaluations that end the same way: read them,
 * copy them, but do not modify them.
 */
export function evaluateFlag(
  flag: Flag | undefined,
  flagName: string,
  environment: string,
  context: EvaluationContext,
): EvaluationResult {
  if (flag === undefined || flag === null) return flagNotFound(flagName);
  let compiled: CompiledFlag;
  try {
    compiled = compileFlag(flag);
  } catch (error) {
    return parseError(flagName, error);
  }
  const result = evaluatePrepared(compiled, compiledEnvironment(compiled, environment), context);
  return result.flagName === flagName ? result : Object.freeze({ ...result, flagName });
}

/** The result for a flag that does not compile. */
export function parseError(flagName: string, error: unknown): EvaluationResult {
  return errorResult(flagName, undefined, 'PARSE_ERROR', `flag "${String(flagName)}" is invalid: ${describe(error)}`);
}

/** The result for a name no flag has. */
export function flagNotFound(flagName: string): EvaluationResult {
  return errorResult(flagName, undefined, 'FLAG_NOT_FOUND', `flag "${String(flagName)}" was not found`);
}

/** Evaluates one flag's environment for a context; a context whose reading throws gives INVALID_CONTEXT. */
function evaluatePrepared(
  compiled: CompiledFlag,
  env: CompiledEnvironment,
  context: EvaluationContext,
): EvaluationResult {
  if (!env.enabled) return env.offResult;
  const prepared = acquirePreparedContext(contextOrEmpty(context), false);
  try {
    return evaluateEnvironment(env, prepared);
  } catch (error) {
    return invalidContext(compiled, error);
  } finally {
    releasePreparedContext(prepared);
  }
}

/** The result for a context whose reading threw. */
export function invalidContext(compiled: CompiledFlag, error: unknown): EvaluationResult {
  return errorResult(
    compiled.flag.name,
    compiled.off,
    'INVALID_CONTEXT',
    `the evaluation context could not be read: ${describe(error)}`,
  );
}

/**
 * The first rule that serves the user decides; a rule that needs a bucketing key the context
 * lacks is skipped, and if no later rule decides, the answer is TARGETING_KEY_MISSING. May throw
 * if reading the context throws.
 */
export function evaluateEnvironment(env: CompiledEnvironment, prepared: PreparedContext): EvaluationResult {
  if (!env.enabled) return env.offResult;
  let keyMissing = false;
  const rules = env.rules;
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    if (rule.userIds !== undefined) {
      const key = prepared.key(TARGETING_KEY_SLOT);
      if (key === undefined) {
        keyMissing = true;
        continue;
      }
      if (!rule.userIds.has(key)) continue;
    } else {
      const conditions = rule.conditions;
      if (conditions.length > 0) {
        const matchAny = rule.matchAny;
        let matched = !matchAny;
        for (let i = 0; i < conditions.length; i++) {
          if (prepared.holds(conditions[i]!) === matchAny) {
            matched = matchAny;
            break;
          }
        }
        if (!matched) continue;
      }
      const threshold = rule.threshold;
      if (threshold < BUCKET_COUNT) {
        if (threshold <= 0) continue;
        const key = prepared.key(rule.bucketSlot);
        if (key === undefined) {
          keyMissing = true;
          continue;
        }
        if (bucketUnits(rule, key) >= threshold) continue;
      }
    }
    const served = rule.served;
    if (served.fixed !== undefined) return served.fixed;
    const key = prepared.key(rule.bucketSlot);
    if (key !== undefined) return served.pick(key);
    keyMissing = true;
  }
  if (keyMissing) return env.keyMissingResult;
  const fallthrough = env.fallthrough;
  if (fallthrough === undefined) return env.offResult;
  if (fallthrough.fixed !== undefined) return fallthrough.fixed;
  const key = prepared.key(env.fallthroughSlot);
  return key === undefined ? env.keyMissingResult : fallthrough.pick(key);
}

function describe(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unknown error';
  }
}
