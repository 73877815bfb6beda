import type { ANY_ENVIRONMENT, Flag } from '@switchyard/core';
import type { StoredFlag } from '../../store/store.js';

// Typed by core's constant without a runtime import of core (the stream's hot path needs no more).
const ANY: typeof ANY_ENVIRONMENT = '*';

/**
 * A flag as a stream of one environment sees it: `environments` holds only that environment
 * (a `*` configuration appears under the environment's name), and no store bookkeeping.
 * Undefined when the flag is not configured for the environment.
 */
export function flagForEnvironment(flag: StoredFlag | undefined, environment: string): Flag | undefined {
  if (flag === undefined) return undefined;
  const config = flag.environments[environment] ?? flag.environments[ANY];
  if (config === undefined) return undefined;
  const { revision: _revision, environments: _environments, ...rest } = flag;
  return { ...rest, environments: { [environment]: config } };
}

export function isVisibleIn(flag: StoredFlag | undefined, environment: string): boolean {
  return flag !== undefined && (flag.environments[environment] ?? flag.environments[ANY]) !== undefined;
}
