import {
  FlagNotFoundError,
  GeneralError,
  InvalidContextError,
  ParseError,
  TargetingKeyMissingError,
  TypeMismatchError,
  type FlagMetadata,
  type OpenFeatureError,
  type ResolutionDetails,
} from '@openfeature/core';
import type { ErrorCode, EvaluationResult, FlagValueType } from '@switchyard/core';

/** The OpenFeature error class for each of the core's error codes (all from `@openfeature/core`). */
export function toOpenFeatureError(code: ErrorCode, message: string): OpenFeatureError {
  switch (code) {
    case 'FLAG_NOT_FOUND':
      return new FlagNotFoundError(message);
    case 'TYPE_MISMATCH':
      return new TypeMismatchError(message);
    case 'TARGETING_KEY_MISSING':
      return new TargetingKeyMissingError(message);
    case 'PARSE_ERROR':
      return new ParseError(message);
    case 'INVALID_CONTEXT':
      return new InvalidContextError(message);
    default:
      return new GeneralError(message);
  }
}

/**
 * What the provider hands the SDK for a successful evaluation. `enabled` travels in the flag
 * metadata because OpenFeature has no word for it and the seed's API needs it.
 */
export function toResolutionDetails<T>(result: EvaluationResult, value: T, environment: string): ResolutionDetails<T> {
  const flagMetadata: FlagMetadata = { enabled: result.enabled, environment };
  if (result.ruleIndex !== undefined) flagMetadata.ruleIndex = result.ruleIndex;
  if (result.ruleName !== undefined) flagMetadata.ruleName = result.ruleName;
  const details: ResolutionDetails<T> = { value, reason: result.reason, flagMetadata };
  if (result.variant !== undefined) details.variant = result.variant;
  return details;
}

/** The message of a TYPE_MISMATCH: what was asked for and what the flag holds. */
export function typeMismatchMessage(flagName: string, requested: FlagValueType, actual: unknown): string {
  const held = actual === null ? 'null' : Array.isArray(actual) ? 'array' : typeof actual;
  return `flag '${flagName}' was evaluated as ${requested} but its value is ${held === 'object' ? 'an object' : `a ${held}`}`;
}
