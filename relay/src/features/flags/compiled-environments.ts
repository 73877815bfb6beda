import { EnvironmentFlags, type Flag } from '@switchyard/core';
import type { FlagExists } from './flag-environments.js';

/**
 * Per environment and audience, the flags that exist there for it (FlagExists: configured by name
 * or `*`, and for clients visible to them) as one EnvironmentFlags,
 * built on first use; the owner clears it whenever its flags change (compiling is cached per flag
 * object, so a rebuild after one change recompiles that flag only). Callers name configured
 * environments only (SWITCHYARD_ENVIRONMENTS, checked by the routes, or an API key's) and the
 * audiences' predicates (FlagVisibility.existsFor gives one function per audience), so there are at
 * most that many.
 */
export class CompiledEnvironments {
  private readonly byAudience = new Map<FlagExists, Map<string, EnvironmentFlags>>();

  constructor(private readonly flags: () => Iterable<Flag>) {}

  get(environment: string, exists: FlagExists): EnvironmentFlags {
    let byEnvironment = this.byAudience.get(exists);
    if (byEnvironment === undefined) {
      byEnvironment = new Map();
      this.byAudience.set(exists, byEnvironment);
    }
    let compiled = byEnvironment.get(environment);
    if (compiled === undefined) {
      compiled = new EnvironmentFlags(
        [...this.flags()].filter((flag) => exists(flag, environment)),
        environment,
      );
      byEnvironment.set(environment, compiled);
    }
    return compiled;
  }

  clear(): void {
    this.byAudience.clear();
  }
}
