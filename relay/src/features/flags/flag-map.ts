import type { EnvironmentFlags } from '@switchyard/core';
import type { FlagChangeRecord, StoredFlag } from '../../store/store.js';
import { CompiledEnvironments } from './compiled-environments.js';
import { hasEnvironment, type FlagExists } from './flag-environments.js';

/** One change as the map applied it: what it replaced, and the revision the map was at before. */
export interface AppliedChange {
  record: FlagChangeRecord;
  /** The flag before this change, if the map held it. */
  previous: StoredFlag | undefined;
  /** The map's revision before this change. */
  fromRevision: number;
}

/**
 * The relay's one in-memory copy of every flag, as of one store revision: what evaluations (REST
 * and OFREP) read, so an evaluation never waits on the store; what the stream sends as snapshots;
 * what the scheduler looks through for due rollouts; and what keeps serving while the store is
 * unreachable. Its one writer is the sync (FlagSync), which feeds it the store's change log in
 * revision order, whichever relay or job wrote; a write on this relay waits for the sync to apply
 * it before answering. Applying is idempotent: a change at or below the map's revision is ignored.
 */
export class FlagMap {
  private readonly flags = new Map<string, StoredFlag>();
  private currentRevision = 0;
  private isLoaded = false;
  /** Per environment, its flags compiled for bulk evaluation; dropped at every change. */
  private readonly compiled = new CompiledEnvironments(() => this.flags.values());

  get revision(): number {
    return this.currentRevision;
  }

  get size(): number {
    return this.flags.size;
  }

  /** False until the first successful load from the store. */
  get loaded(): boolean {
    return this.isLoaded;
  }

  /** Replaces everything: `flags` were read at or after `revision`. */
  load(flags: Iterable<StoredFlag>, revision: number): void {
    this.flags.clear();
    this.compiled.clear();
    for (const flag of flags) this.flags.set(flag.name, flag);
    this.currentRevision = revision;
    this.isLoaded = true;
  }

  /**
   * Applies one change; undefined when there is nothing to tell anyone: it was already applied, or
   * the flag was loaded in a newer state than the change (a load reads flags after their revision).
   */
  apply(record: FlagChangeRecord): AppliedChange | undefined {
    if (record.revision <= this.currentRevision) return undefined;
    const fromRevision = this.currentRevision;
    this.currentRevision = record.revision;
    const previous = this.flags.get(record.flagName);
    if (previous !== undefined && previous.revision >= record.revision) return undefined;
    this.compiled.clear();
    if (record.kind === 'delete' || record.flag === undefined) this.flags.delete(record.flagName);
    else this.flags.set(record.flagName, record.flag);
    return { record, previous, fromRevision };
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
