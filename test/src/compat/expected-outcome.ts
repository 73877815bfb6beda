import { valueMatchesType } from '@switchyard/core';
import type { EvaluateResult } from '@switchyard/protocol';
import type { ClientOutcome, CompatCase } from './compat-table.js';

export type OfrepClient = 'node' | 'browser' | 'python' | 'go v0.1.6' | 'go v0.1.7';

/**
 * What an OpenFeature client must report for a case, derived from the relay's REST answer with
 * OpenFeature's rules: an error, a value of another type than asked, or no value gives the
 * application's default; OFREP carries our DEFAULT reason as UNKNOWN (its enum has no DEFAULT).
 * Then the documented deviations of official clients (docs/ofrep-clients.md), and none other.
 */
export function expectedOutcome(
  client: OfrepClient,
  testCase: CompatCase,
  rest: EvaluateResult,
): Omit<ClientOutcome, 'id'> {
  if (rest.errorCode) return { value: testCase.default, reason: 'ERROR', errorCode: rest.errorCode };
  if (rest.value === null || rest.value === undefined) {
    // @openfeature/ofrep-provider 0.1.3 rejects a success without `value` (OFREP's codeDefaultFlag).
    if (client === 'node') return { value: testCase.default, reason: 'ERROR', errorCode: 'GENERAL' };
    return { value: testCase.default, variant: rest.variant, reason: rest.reason };
  }
  if (!valueMatchesType(rest.value, testCase.type))
    return { value: testCase.default, reason: 'ERROR', errorCode: 'TYPE_MISMATCH' };
  const reason = rest.reason === 'DEFAULT' ? 'UNKNOWN' : rest.reason;
  // The Go provider answers DISABLED with the caller's default, whatever value the relay sent.
  if (client.startsWith('go') && reason === 'DISABLED')
    return { value: testCase.default, variant: rest.variant, reason };
  return { value: rest.value, variant: rest.variant, reason };
}

/** The parts of an outcome that must agree: value, reason, error code, and the variant of a success. */
export function comparable(outcome: Omit<ClientOutcome, 'id'>): Omit<ClientOutcome, 'id'> {
  const errorCode = outcome.errorCode ?? undefined;
  return errorCode === undefined
    ? { value: outcome.value, variant: outcome.variant ?? undefined, reason: outcome.reason }
    : { value: outcome.value, reason: outcome.reason, errorCode };
}
