import { environmentConfig } from '@switchyard/core';
import { forbidden } from './http-errors.js';
import type { Principal } from './route.js';
import type { StoredFlag } from '../store/store.js';

/**
 * The environment a request may use: a server or client key is bound to its own (naming another
 * is 403); other keys use what the request names, or `fallback`.
 */
export function scopedEnvironment(
  principal: Principal,
  requested: string | undefined,
  fallback?: string,
): string | undefined {
  if (principal.environment === undefined) return requested ?? fallback;
  if (requested !== undefined && requested !== principal.environment) {
    throw forbidden(
      `this ${principal.role} key is scoped to environment "${principal.environment}", not "${requested}"`,
    );
  }
  return principal.environment;
}

/** What a scoped key may read of a flag: only its environment's configuration (a `*` one under that name). */
export function flagViewFor(principal: Principal, flag: StoredFlag): StoredFlag {
  if (principal.environment === undefined) return flag;
  const config = environmentConfig(flag, principal.environment);
  return { ...flag, environments: config === undefined ? {} : { [principal.environment]: config } };
}
