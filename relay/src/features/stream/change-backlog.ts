import type { AppliedChange } from '../flags/flag-map.js';

/**
 * The last `capacity` changes, so a reconnecting client can resume without a snapshot.
 * It covers every change after `floor`: a client at `since >= floor` can be replayed to.
 */
export class ChangeBacklog {
  private readonly entries: AppliedChange[] = [];
  private start = 0;
  private floorRevision: number | undefined;

  constructor(private readonly capacity: number) {}

  push(change: AppliedChange): void {
    if (this.capacity <= 0) {
      this.floorRevision = change.record.revision;
      return;
    }
    this.floorRevision ??= change.fromRevision;
    if (this.entries.length < this.capacity) {
      this.entries.push(change);
      return;
    }
    const evicted = this.entries[this.start] as AppliedChange;
    this.floorRevision = evicted.record.revision;
    this.entries[this.start] = change;
    this.start = (this.start + 1) % this.capacity;
  }

  /** Whether every change after `revision` up to `current` is held. */
  covers(revision: number, current: number): boolean {
    if (revision === current) return true;
    if (revision > current || this.floorRevision === undefined) return false;
    return revision >= this.floorRevision;
  }

  /** Held changes with a revision above `revision`, oldest first. */
  after(revision: number): AppliedChange[] {
    const ordered = [...this.entries.slice(this.start), ...this.entries.slice(0, this.start)];
    return ordered.filter((change) => change.record.revision > revision);
  }

  get size(): number {
    return this.entries.length;
  }
}
