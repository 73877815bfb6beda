import type { FileStoreCore } from './file-store.js';
import type { AuditEntry, AuditQuery, AuditStore } from './store.js';
import { assertAuditQuery, newestFirst } from './audit-query.js';

export class FileAuditStore implements AuditStore {
  constructor(private readonly core: FileStoreCore) {}

  append(entry: AuditEntry): Promise<void> {
    return this.core.serialize(() => this.core.commit({ op: 'audit.append', entry: structuredClone(entry) }));
  }

  async list(query: AuditQuery): Promise<AuditEntry[]> {
    assertAuditQuery(query);
    const { flagName, since } = query;
    const matching = this.core.state.audit
      .map((entry, sequence) => ({ entry, sequence }))
      .filter(({ entry }) => (flagName === undefined || entry.flagName === flagName) && (since === undefined || entry.at >= since))
      .sort(newestFirst)
      .map(({ entry }) => entry);
    return structuredClone(matching.slice(0, query.limit ?? matching.length));
  }
}
