import {
  compiledEnvironment,
  compileFlag,
  errorResult,
  type CompiledEnvironment,
  type CompiledFlag,
} from './compile-flag.js';
import type { EvaluationContext, EvaluationResult, Flag } from './model.js';
import { acquirePreparedContext, releasePreparedContext, type PreparedContext } from './prepared-context.js';

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

/** One flag's environment for the context in `prepared` (see FlagProgram.evaluate). May throw if reading the context throws. */
function evaluateEnvironment(env: CompiledEnvironment, prepared: PreparedContext): EvaluationResult {
  return env.program.evaluate(0, prepared);
}

function describe(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unknown error';
  }
}
