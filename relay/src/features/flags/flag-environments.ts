import { environmentConfig, type Flag } from '@switchyard/core';

/**
 * Whether a flag exists in an environment: configured for it by name or by `*`. Everywhere else
 * (evaluation, OFREP, streams, usage) it is "not found in environment X".
 */
export function hasEnvironment(flag: Flag | undefined, environment: string): boolean {
  return flag !== undefined && environmentConfig(flag, environment) !== undefined;
}
