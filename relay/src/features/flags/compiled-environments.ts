import { EnvironmentFlags, type Flag } from '@switchyard/core';
import { hasEnvironment } from './flag-environments.js';

/**
 * Per environment, the flags that exist there (configured by name or `*`) as one EnvironmentFlags,
 * built on first use; the owner clears it whenever its flags change (compiling is cached per flag
 * object, so a rebuild after one change recompiles that flag only). Callers name configured
 * environments only (SWITCHYARD_ENVIRONMENTS, checked by the routes, or an API key's), so there
 * are at most that many.
 */
export class CompiledEnvironments {
  private readonly byEnvironment = new Map<string, EnvironmentFlags>();

  constructor(private readonly flags: () => Iterable<Flag>) {}

  get(environment: string): EnvironmentFlags {
    let compiled = this.byEnvironment.get(environment);
    if (compiled === undefined) {
      compiled = new EnvironmentFlags([...this.flags()].filter((flag) => hasEnvironment(flag, environment)), environment);
      this.byEnvironment.set(environment, compiled);
    }
    return compiled;
  }

  clear(): void {
    this.byEnvironment.clear();
  }
}
