import { environmentConfig, type Flag } from '@switchyard/core';
import type { StoredFlag } from '../../store/store.js';

/**
 * A flag as a stream of one environment sees it: `environments` holds only that environment
 * (a `*` configuration appears under the environment's name), and no store bookkeeping.
 * Undefined when the flag is not configured for the environment.
 */
export function flagForEnvironment(flag: StoredFlag | undefined, environment: string): Flag | undefined {
  if (flag === undefined) return undefined;
  const config = environmentConfig(flag, environment);
  if (config === undefined) return undefined;
  const { revision: _revision, environments: _environments, ...rest } = flag;
  return { ...rest, environments: { [environment]: config } };
}
