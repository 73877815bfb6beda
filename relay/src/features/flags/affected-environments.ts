import { isDeepStrictEqual } from 'node:util';
import { environmentConfig, type Flag } from '@switchyard/core';

/** Flag-wide fields that evaluation (or who may evaluate) reads: changing one affects every environment the flag is in. */
const EVALUATED_FLAG_FIELDS = ['type', 'variants', 'offVariant', 'bucketBy', 'clientVisible'] as const;

/**
 * The relay's environments whose evaluation of the flag a write can change, in the relay's order:
 * those whose configuration (their own, or the shared `*` they use) differs between `before` and
 * `after`, and, when a flag-wide field evaluation reads changed, every environment the flag is in
 * before or after. Undefined: the flag did not exist (create) or no longer does (delete).
 * Description, owner and tags change no environment.
 */
export function affectedEnvironments(
  before: Flag | undefined,
  after: Flag | undefined,
  environments: readonly string[],
): string[] {
  const flagWide =
    before === undefined ||
    after === undefined ||
    EVALUATED_FLAG_FIELDS.some((field) => !isDeepStrictEqual(before[field], after[field]));
  return environments.filter((environment) => {
    const was = before && environmentConfig(before, environment);
    const is = after && environmentConfig(after, environment);
    if (was === undefined && is === undefined) return false;
    return flagWide || !isDeepStrictEqual(was, is);
  });
}
