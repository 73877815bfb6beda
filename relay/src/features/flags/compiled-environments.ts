import { EnvironmentFlags, type Flag } from '@switchyard/core';
import { hasEnvironment } from './flag-environments.js';

/** Environments whose compiled flags are kept at once (callers may name any environment). */
const MAX_COMPILED_ENVIRONMENTS = 64;

/**
 * Per environment, the flags that exist there (configured by name or `*`) as one EnvironmentFlags,
 * built on first use; the owner clears it whenever its flags change (compiling is cached per flag
 * object, so a rebuild after one change recompiles that flag only).
 */
export class CompiledEnvironments {
  private readonly byEnvironment = new Map<string, EnvironmentFlags>();

  constructor(private readonly flags: () => Iterable<Flag>) {}

  get(environment: string): EnvironmentFlags {
    let compiled = this.byEnvironment.get(environment);
    if (compiled === undefined) {
      if (this.byEnvironment.size >= MAX_COMPILED_ENVIRONMENTS) this.byEnvironment.clear();
      compiled = new EnvironmentFlags([...this.flags()].filter((flag) => hasEnvironment(flag, environment)), environment);
      this.byEnvironment.set(environment, compiled);
    }
    return compiled;
  }

  clear(): void {
    this.byEnvironment.clear();
  }
}
