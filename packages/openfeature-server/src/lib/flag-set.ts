import { EnvironmentFlags, type Flag } from '@switchyard/core';
import type { FlagChange } from '@switchyard/protocol';

/**
 * The provider's local copy of its environment's flags. Evaluations read it; the stream replaces
 * or patches it. Every write reports which flag names changed, for ConfigurationChanged.
 */
export class FlagSet {
  private flags = new Map<string, Flag>();
  private environmentName: string | undefined;
  /** The flags compiled for bulk evaluation; dropped at every write. */
  private compiled: EnvironmentFlags | undefined;

  get environment(): string | undefined {
    return this.environmentName;
  }

  get(flagName: string): Flag | undefined {
    return this.flags.get(flagName);
  }

  all(): Flag[] {
    return [...this.flags.values()];
  }

  /** Every flag compiled for evaluating many for one context; undefined before the first snapshot. */
  compiledFlags(): EnvironmentFlags | undefined {
    if (this.environmentName === undefined) return undefined;
    this.compiled ??= new EnvironmentFlags(this.flags.values(), this.environmentName);
    return this.compiled;
  }

  /** Replaces everything; returns the names that were added, removed or are different. */
  replace(environment: string, flags: readonly Flag[]): string[] {
    const next = new Map(flags.map((flag) => [flag.name, flag] as const));
    const changed = new Set<string>();
    for (const [name, flag] of next) {
      if (!sameFlag(this.flags.get(name), flag)) changed.add(name);
    }
    for (const name of this.flags.keys()) {
      if (!next.has(name)) changed.add(name);
    }
    if (this.environmentName !== undefined && this.environmentName !== environment) {
      for (const name of next.keys()) changed.add(name);
    }
    this.flags = next;
    this.environmentName = environment;
    this.compiled = undefined;
    return [...changed];
  }

  /** Applies changes oldest first; returns each affected name once. */
  apply(changes: readonly FlagChange[]): string[] {
    const changed = new Set<string>();
    this.compiled = undefined;
    for (const change of changes) {
      if (change.kind === 'upsert') {
        this.flags.set(change.flag.name, change.flag);
        changed.add(change.flag.name);
      } else if (this.flags.delete(change.flagName)) {
        changed.add(change.flagName);
      }
    }
    return [...changed];
  }
}

/** Same configuration: versions only grow, but a snapshot from another database may reuse them. */
function sameFlag(current: Flag | undefined, next: Flag): boolean {
  if (current === undefined) return false;
  if (current.version !== next.version || current.updatedAt !== next.updatedAt) return false;
  return JSON.stringify(current) === JSON.stringify(next);
}
