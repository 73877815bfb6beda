import { ALWAYS_KEPT_VERSIONS } from '../retention.js';
import type { ApiKeyRecord, AuditEntry, FlagChangeRecord, RetentionCut, StoredFlag } from '../store.js';

/**
 * One acknowledged write of the embedded store: what the journal holds, one per line, and what
 * `applyMutation` replays. Mutations carry their results (versions, revisions, times), so replaying
 * them is deterministic.
 */
export type Mutation =
  | { op: 'flag.put'; flag: StoredFlag }
  | { op: 'flag.delete'; name: string; revision: number; at: string }
  | { op: 'key.put'; key: ApiKeyRecord }
  | { op: 'key.revoke'; id: string; at: string }
  | { op: 'key.used'; id: string; at: string }
  | { op: 'audit.append'; entry: AuditEntry }
  | { op: 'audit.prune'; cut: RetentionCut }
  | { op: 'history.prune'; cut: RetentionCut };

/** The embedded store's whole content, held in memory; also the snapshot file's shape. */
export interface MemoryState {
  revision: number;
  /** Highest revision pruned from `changes` (0 when none was). */
  oldestRevision: number;
  flags: Map<string, StoredFlag>;
  /** Every version of each current flag, oldest first. */
  history: Map<string, StoredFlag[]>;
  /** Ascending by revision. */
  changes: FlagChangeRecord[];
  apiKeys: Map<string, ApiKeyRecord>;
  /** In append order. */
  audit: AuditEntry[];
}

export function emptyState(): MemoryState {
  return {
    revision: 0,
    oldestRevision: 0,
    flags: new Map(),
    history: new Map(),
    changes: [],
    apiKeys: new Map(),
    audit: [],
  };
}

/** Applies one mutation; `changeLogRetention` bounds the change log (oldest entries go first). */
export function applyMutation(state: MemoryState, mutation: Mutation, changeLogRetention: number): void {
  switch (mutation.op) {
    case 'flag.put': {
      const { flag } = mutation;
      const versions = flag.version === 1 ? [] : (state.history.get(flag.name) ?? []);
      versions.push(flag);
      state.history.set(flag.name, versions);
      state.flags.set(flag.name, flag);
      recordChange(state, { revision: flag.revision, flagName: flag.name, kind: 'upsert', flag, at: flag.updatedAt });
      break;
    }
    case 'flag.delete':
      state.flags.delete(mutation.name);
      state.history.delete(mutation.name);
      recordChange(state, { revision: mutation.revision, flagName: mutation.name, kind: 'delete', at: mutation.at });
      break;
    case 'key.put':
      state.apiKeys.set(mutation.key.id, mutation.key);
      break;
    case 'key.revoke': {
      const key = state.apiKeys.get(mutation.id);
      if (key) state.apiKeys.set(mutation.id, { ...key, revokedAt: mutation.at });
      break;
    }
    case 'key.used': {
      const key = state.apiKeys.get(mutation.id);
      if (key && !(key.lastUsedAt !== undefined && key.lastUsedAt > mutation.at))
        state.apiKeys.set(mutation.id, { ...key, lastUsedAt: mutation.at });
      break;
    }
    case 'audit.append':
      state.audit.push(mutation.entry);
      break;
    case 'audit.prune':
      state.audit = prunedAudit(state.audit, mutation.cut);
      break;
    case 'history.prune':
      for (const [name, versions] of state.history) state.history.set(name, prunedHistory(versions, mutation.cut));
      break;
  }
  pruneChanges(state, changeLogRetention);
}

/** The entries `cut` keeps: `keepNewest` counts from the end (the newest appended). */
export function prunedAudit(audit: AuditEntry[], cut: RetentionCut): AuditEntry[] {
  const { before, keepNewest } = cut;
  const recent = before === undefined ? audit : audit.filter((entry) => entry.at >= before);
  return keepNewest === undefined || recent.length <= keepNewest ? recent : recent.slice(recent.length - keepNewest);
}

/**
 * The versions (oldest first, the current one last) `cut` keeps: `keepNewest` counts version
 * numbers back from the current one; the newest ALWAYS_KEPT_VERSIONS always stay.
 */
export function prunedHistory(versions: StoredFlag[], cut: RetentionCut): StoredFlag[] {
  const current = versions[versions.length - 1]?.version ?? 0;
  const { before, keepNewest } = cut;
  return versions.filter(
    ({ version, updatedAt }) =>
      version > current - ALWAYS_KEPT_VERSIONS ||
      ((keepNewest === undefined || version > current - keepNewest) && (before === undefined || updatedAt >= before)),
  );
}

function recordChange(state: MemoryState, change: FlagChangeRecord): void {
  state.changes.push(change);
  state.revision = Math.max(state.revision, change.revision);
}

function pruneChanges(state: MemoryState, retention: number): void {
  const excess = state.changes.length - retention;
  if (excess <= 0) return;
  const pruned = state.changes.splice(0, excess);
  state.oldestRevision = pruned[pruned.length - 1]!.revision;
}

/** The snapshot file's JSON shape. */
export interface SnapshotData {
  format: 1;
  /** The journal sequence number of the last mutation the snapshot includes. */
  lastSequence: number;
  revision: number;
  oldestRevision: number;
  flags: StoredFlag[];
  history: StoredFlag[][];
  changes: FlagChangeRecord[];
  apiKeys: ApiKeyRecord[];
  audit: AuditEntry[];
}

export function toSnapshot(state: MemoryState, lastSequence: number): SnapshotData {
  return {
    format: 1,
    lastSequence,
    revision: state.revision,
    oldestRevision: state.oldestRevision,
    flags: [...state.flags.values()],
    history: [...state.history.values()],
    changes: state.changes,
    apiKeys: [...state.apiKeys.values()],
    audit: state.audit,
  };
}

export function fromSnapshot(data: SnapshotData): MemoryState {
  const history = new Map<string, StoredFlag[]>();
  for (const versions of data.history) {
    const first = versions[0];
    if (first) history.set(first.name, versions);
  }
  return {
    revision: data.revision,
    oldestRevision: data.oldestRevision,
    flags: new Map(data.flags.map((flag) => [flag.name, flag])),
    history,
    changes: data.changes,
    apiKeys: new Map(data.apiKeys.map((key) => [key.id, key])),
    audit: data.audit,
  };
}
