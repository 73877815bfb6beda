import type { EnvironmentFlags } from '@switchyard/core';
import type { FlagChangeRecord, StoredFlag } from '../../store/store.js';
import { CompiledEnvironments } from './compiled-environments.js';
import { hasEnvironment, type FlagExists } from './flag-environments.js';

/**
 * Every flag in memory: what evaluations read, so an evaluation never waits on the store.
 * Loaded once at start, then fed each change: local writes as they succeed, and (through the sync)
 * writes made by other relays or the scheduler. Applying is idempotent and order-tolerant per flag:
 * a change applies only when its revision is above the last one applied to that flag name, so the
 * same change arriving twice, or an older one arriving after a newer one, changes nothing.
 */
export class FlagCache {
  private readonly flags = new Map<string, StoredFlag>();
  /** Revision of the last change applied per name, deletions included (so a late upsert cannot resurrect). */
  private readonly applied = new Map<string, number>();
  private highest = 0;
  /** Per environment, its flags compiled for bulk evaluation; dropped at every change. */
  private readonly compiled = new CompiledEnvironments(() => this.flags.values());

  /** The highest revision seen (load or change). */
  get revision(): number {
    return this.highest;
  }

  get size(): number {
    return this.flags.size;
  }

  /** Replaces everything with `flags`, read at or after `revision`. */
  load(flags: Iterable<StoredFlag>, revision: number): void {
    this.flags.clear();
    this.applied.clear();
    this.compiled.clear();
    this.highest = revision;
    for (const flag of flags) {
      this.flags.set(flag.name, flag);
      this.applied.set(flag.name, flag.revision);
      this.highest = Math.max(this.highest, flag.revision);
    }
  }

  /** Applies one change; false when it was already applied or is older than what the cache holds for that flag. */
  applyChange(record: FlagChangeRecord): boolean {
    const last = this.applied.get(record.flagName) ?? 0;
    if (record.revision <= last) return false;
    this.applied.set(record.flagName, record.revision);
    this.highest = Math.max(this.highest, record.revision);
    this.compiled.clear();
    if (record.kind === 'delete' || record.flag === undefined) this.flags.delete(record.flagName);
    else this.flags.set(record.flagName, record.flag);
    return true;
  }

  get(name: string): StoredFlag | undefined {
    return this.flags.get(name);
  }

  all(): IterableIterator<StoredFlag> {
    return this.flags.values();
  }

  /** The flags that `exists` admits in `environment` (hasEnvironment: all there), compiled for evaluating many for one context. */
  environmentFlags(environment: string, exists: FlagExists = hasEnvironment): EnvironmentFlags {
    return this.compiled.get(environment, exists);
  }
}
