import { isFlagVariant, type EvaluationResult, type Flag } from '@switchyard/core';
import type {
  OfrepFailure,
  OfrepFailureCode,
  OfrepFlagMetadata,
  OfrepFlagNotFound,
  OfrepReason,
  OfrepSuccess,
} from './ofrep-payloads.js';

const REASONS: Record<string, OfrepReason> = {
  TARGETING_MATCH: 'TARGETING_MATCH',
  SPLIT: 'SPLIT',
  DISABLED: 'DISABLED',
  STATIC: 'STATIC',
};

const FAILURE_CODES: ReadonlySet<string> = new Set<OfrepFailureCode>([
  'PARSE_ERROR',
  'TARGETING_KEY_MISSING',
  'INVALID_CONTEXT',
  'GENERAL',
]);

/** Failures the request's context causes: their messages help the caller and quote no configuration. */
const CONTEXT_FAILURES: ReadonlySet<string> = new Set(['TARGETING_KEY_MISSING', 'INVALID_CONTEXT']);
/** Single-flag failures answered 400 (the request's fault); the rest are the relay's problem (500). */
const BAD_REQUEST_FAILURES: ReadonlySet<string> = new Set([...CONTEXT_FAILURES, 'PARSE_ERROR']);

export type OfrepItem = OfrepSuccess | OfrepFailure;

/**
 * One evaluation as an item of a bulk answer. Only the evaluated outcome goes out: value,
 * variant, reason and whether the flag is on for this user; never rules, user lists or weights.
 * OFREP has no DEFAULT reason, so ours (no rule served the user) goes out as UNKNOWN. Every
 * success names a variant (the core's `on`/`off` for outcomes that are no variant of the flag's,
 * marked with metadata `reservedVariant`: our web provider attributes no outcome to those).
 */
export function toBulkItem(result: EvaluationResult, flag: Flag | undefined): OfrepItem {
  if (result.errorCode) return toFailure(result);
  const metadata: OfrepFlagMetadata = { enabled: result.enabled };
  if (flag !== undefined && result.variant !== undefined && !isFlagVariant(flag, result.variant))
    metadata.reservedVariant = true;
  const item: OfrepSuccess = { key: result.flagName, reason: REASONS[result.reason] ?? 'UNKNOWN', metadata };
  if (result.variant !== undefined) item.variant = result.variant;
  // No value: OFREP's codeDefaultFlag (no `value`), which tells the client to use its code default.
  if (result.value !== undefined) item.value = result.value;
  return item;
}

export interface SingleAnswer {
  status: number;
  body: OfrepSuccess | OfrepFailure | OfrepFlagNotFound;
}

/**
 * One evaluation as the single-flag endpoint's answer. A success without a value (a disabled
 * non-boolean flag without an off variant) is OFREP's codeDefaultFlag, as in bulk answers: the
 * client uses the application's default. Python and Go providers do; @openfeature/ofrep-provider
 * 0.1.3 (Node) rejects any success without `value` (docs/ofrep-clients.md).
 */
export function toSingleAnswer(result: EvaluationResult, flag: Flag | undefined): SingleAnswer {
  if (result.errorCode === 'FLAG_NOT_FOUND') {
    return {
      status: 404,
      body: {
        key: result.flagName,
        errorCode: 'FLAG_NOT_FOUND',
        errorDetails: result.errorMessage ?? `flag '${result.flagName}' was not found`,
      },
    };
  }
  const item = toBulkItem(result, flag);
  if ('errorCode' in item) return { status: BAD_REQUEST_FAILURES.has(item.errorCode) ? 400 : 500, body: item };
  return { status: 200, body: item };
}

function toFailure(result: EvaluationResult): OfrepFailure {
  const code = result.errorCode ?? 'GENERAL';
  return {
    key: result.flagName,
    errorCode: FAILURE_CODES.has(code) ? (code as OfrepFailureCode) : 'GENERAL',
    // Messages about a flag (not the context) could quote its configuration.
    errorDetails: CONTEXT_FAILURES.has(code)
      ? (result.errorMessage ?? code)
      : `flag '${result.flagName}' cannot be evaluated (${code})`,
  };
}
