import { ANY_ENVIRONMENT, environmentConfig, type EnvironmentConfig, type Flag } from '@switchyard/core';
import type { FlagPatch } from './flags-schemas.js';

/** What a flag gets in an environment that has neither its own configuration nor `*`: off, serving everyone once enabled. */
const NEW_ENVIRONMENT: EnvironmentConfig = { enabled: false, rules: [], fallthrough: { serve: true } };

/**
 * Which configuration a PATCH changes. One naming an environment changes that environment's. One
 * naming none changes what the default environment uses: its own configuration, else the shared
 * `*` one (so every environment sharing it changes, not a new production-only copy), else a new
 * configuration of its own.
 */
export function patchedEnvironment(flag: Flag, named: string | undefined, defaultEnvironment: string): string {
  if (named !== undefined) return named;
  if (Object.hasOwn(flag.environments, defaultEnvironment)) return defaultEnvironment;
  return Object.hasOwn(flag.environments, ANY_ENVIRONMENT) ? ANY_ENVIRONMENT : defaultEnvironment;
}

/**
 * Applies a PATCH to a flag (without store fields): flag-level fields (description, owner, tags,
 * clientVisible) as given; `enabled`,
 * `rolloutConfig`, `rules` and `fallthrough` to one environment (see patchedEnvironment). A named
 * environment without its own configuration starts from a copy of `*` (so patching production does
 * not change staging), else from an off configuration. The result is validated by the caller like any flag.
 */
export function applyFlagPatch(flag: Flag, patch: FlagPatch, environment: string): Record<string, unknown> {
  const next: Record<string, unknown> = structuredClone(flag) as unknown as Record<string, unknown>;
  if (patch.description !== undefined) next.description = patch.description;
  if (patch.owner !== undefined) next.owner = patch.owner;
  if (patch.tags !== undefined) next.tags = patch.tags;
  if (patch.clientVisible !== undefined) next.clientVisible = patch.clientVisible;
  if (!touchesEnvironment(patch)) return next;
  const environments = next.environments as Record<string, EnvironmentConfig>;
  const config = structuredClone(environmentConfig(flag, environment) ?? NEW_ENVIRONMENT) as unknown as Record<
    string,
    unknown
  >;
  if (patch.enabled !== undefined) config.enabled = patch.enabled;
  if (patch.rules !== undefined) config.rules = patch.rules;
  if (patch.fallthrough !== undefined) config.fallthrough = patch.fallthrough;
  if (patch.rolloutConfig !== undefined) applyRollout(config, patch.rolloutConfig);
  environments[environment] = config as unknown as EnvironmentConfig;
  return next;
}

function touchesEnvironment(patch: FlagPatch): boolean {
  return (
    patch.enabled !== undefined ||
    patch.rolloutConfig !== undefined ||
    patch.rules !== undefined ||
    patch.fallthrough !== undefined
  );
}

/**
 * The seed's single rolloutConfig is the first rule: merged into it (replaced when the strategy
 * changes, so no field of the old strategy lingers). A first rule added to an environment that
 * had none decides who is served, so its fallthrough then serves nobody.
 */
function applyRollout(config: Record<string, unknown>, rollout: Record<string, unknown>): void {
  const rules = Array.isArray(config.rules) ? [...(config.rules as Array<Record<string, unknown>>)] : [];
  const first = rules[0];
  if (first === undefined) {
    rules.push({ strategy: 'percentage', ...rollout });
    config.fallthrough = { serve: false };
  } else if (rollout.strategy !== undefined && rollout.strategy !== first.strategy) {
    rules[0] = { ...rollout };
  } else {
    rules[0] = { ...first, ...rollout };
  }
  config.rules = rules;
}
