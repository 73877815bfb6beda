import type { FileStoreCore } from './file-store.js';
import type { AuditEntry, AuditQuery, AuditStore, RetentionCut } from '../store.js';
import { prunedAudit } from './memory-state.js';
import { assertRetentionCut } from '../retention.js';
import { assertAuditQuery, newestFirst } from '../audit-query.js';
import { AuditEntryNotFoundError } from '../store-errors.js';

export class FileAuditStore implements AuditStore {
  constructor(private readonly core: FileStoreCore) {}

  append(entry: AuditEntry): Promise<void> {
    return this.core.serialize(() => this.core.commit({ op: 'audit.append', entry: structuredClone(entry) }));
  }

  async list(query: AuditQuery): Promise<AuditEntry[]> {
    assertAuditQuery(query);
    const { flagName, since } = query;
    const entries = this.core.state.audit.map((entry, sequence) => ({ entry, sequence }));
    const anchor = query.after === undefined ? undefined : entries.find(({ entry }) => entry.id === query.after);
    if (query.after !== undefined && anchor === undefined) throw new AuditEntryNotFoundError(query.after);
    const matching = entries
      .filter(
        ({ entry }) =>
          (flagName === undefined || entry.flagName === flagName) && (since === undefined || entry.at >= since),
      )
      .filter((candidate) => anchor === undefined || newestFirst(anchor, candidate) < 0)
      .sort(newestFirst)
      .map(({ entry }) => entry);
    return structuredClone(matching.slice(0, query.limit ?? matching.length));
  }

  async prune(cut: RetentionCut): Promise<number> {
    assertRetentionCut(cut);
    return this.core.serialize(async () => {
      const dropped = this.core.state.audit.length - prunedAudit(this.core.state.audit, cut).length;
      if (dropped > 0) await this.core.commit({ op: 'audit.prune', cut: { ...cut } });
      return dropped;
    });
  }
}
