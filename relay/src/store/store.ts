import type { Flag } from '@switchyard/core';
import type { ApiKeyRole, AuditEntry } from '@switchyard/protocol';
import type { UsageStore } from './usage/usage-store.js';

/**
 * The relay's storage, one interface per slice. Two implementations (embedded files, MongoDB)
 * pass one contract suite (`store-contract.ts`). Only operations MongoDB and FerretDB both
 * support are used: no change streams, transactions, $lookup or TTL indexes.
 */

/** A flag as stored: the validated flag plus the global revision of its last write. */
export interface StoredFlag extends Flag {
  version: number;
  /** Global, monotonically increasing across all flags; assigned by the store on every write. */
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export interface FlagQuery {
  /** Only flags with a configuration for this environment (listed, or via `*`). */
  environment?: string;
  tag?: string;
  /** Case-insensitive substring of name or description. */
  text?: string;
  /** Names sort ascending; the page starts after this name. */
  after?: string;
  limit?: number;
}

/** One entry of the change log: what changed at a revision. Deletions are kept as entries too. */
export interface FlagChangeRecord {
  revision: number;
  flagName: string;
  kind: 'upsert' | 'delete';
  /** The flag after the change (absent for deletions). */
  flag?: StoredFlag;
  at: string;
}

/** A slice of a flag's history: versions after `afterVersion`, at most `limit`. */
export interface HistoryPage {
  afterVersion?: number;
  limit?: number;
}

/**
 * What a retention pass removes: entries (or versions) written before `before` (an ISO 8601 UTC time),
 * and all but the newest `keepNewest`. An absent field removes nothing by that rule.
 */
export interface RetentionCut {
  before?: string;
  keepNewest?: number;
}

export interface FlagStore {
  list(query: FlagQuery): Promise<StoredFlag[]>;
  get(name: string): Promise<StoredFlag | null>;
  /**
   * Versions of the flag as it exists now, oldest first: those after `page.afterVersion`, at most
   * `page.limit` (default: all). Empty when there is none (deleting drops it).
   */
  history(name: string, page?: HistoryPage): Promise<StoredFlag[]>;
  /** Throws FlagExistsError when the name is taken. The stored flag has version 1. */
  create(flag: Flag): Promise<StoredFlag>;
  /**
   * Throws FlagNotFoundError when there is no such flag, VersionConflictError unless the stored
   * version equals `expectedVersion`; stores version + 1. `flag.version`, `createdAt` and `updatedAt` are ignored.
   */
  update(flag: Flag, expectedVersion: number): Promise<StoredFlag>;
  /**
   * Throws FlagNotFoundError when there is no such flag, VersionConflictError when `expectedVersion` is given and differs.
   * Returns the deletion's change-log entry (kind `delete`, no `flag`).
   */
  delete(name: string, expectedVersion?: number): Promise<FlagChangeRecord>;
  /**
   * Changes with revision > `revision`, oldest first, at most `limit`. Revision numbers may skip
   * (a write that failed can use one up); never returns a change above `currentRevision()`.
   */
  changesSince(revision: number, limit: number): Promise<FlagChangeRecord[]>;
  /**
   * The highest revision up to which the change log is complete (0 when none): every change at or
   * below it is visible to `changesSince`. Take it before `list()` to start following changes.
   */
  currentRevision(): Promise<number>;
  /**
   * The change log is bounded: `changesSince(r)` returns every change after `r` only when
   * `r >= oldestRevision()`. A caller further behind missed changes and must reload every flag.
   * 0 while nothing was ever pruned.
   */
  oldestRevision(): Promise<number>;
  /**
   * Drops old versions from every flag's history by `cut` (`keepNewest` counts per flag). The current
   * version and the one before it are always kept, so a rollback of the last change always works.
   * Returns how many versions were dropped.
   */
  pruneHistory(cut: RetentionCut): Promise<number>;
}

export { API_KEY_ROLES, type ApiKeyRole, type AuditEntry } from '@switchyard/protocol';

export interface ApiKeyRecord {
  id: string;
  name: string;
  role: ApiKeyRole;
  /** For `server` and `client` keys: the one environment the key may see. */
  environment?: string;
  /** SHA-256 of the secret, hex; the secret itself is never stored. */
  secretHash: string;
  createdAt: string;
  revokedAt?: string;
  lastUsedAt?: string;
}

export interface ApiKeyStore {
  create(record: ApiKeyRecord): Promise<void>;
  get(id: string): Promise<ApiKeyRecord | null>;
  /** The key whose `secretHash` this is, revoked or not. */
  findBySecretHash(secretHash: string): Promise<ApiKeyRecord | null>;
  /** Oldest first. */
  list(): Promise<ApiKeyRecord[]>;
  /** Marks the key revoked at `at`; returns false, changing nothing, when no such key exists or it is already revoked. */
  revoke(id: string, at: string): Promise<boolean>;
  /** Sets `lastUsedAt` to `at` unless it already holds a later time; nothing happens for an unknown key. */
  markUsed(id: string, at: string): Promise<void>;
}

export interface AuditQuery {
  flagName?: string;
  /** An ISO 8601 UTC time with a four-digit year (as `toISOString()` writes it); inclusive. */
  since?: string;
  /** The id of the entry the previous page ended with: the page starts after it, in list order. */
  after?: string;
  limit?: number;
}

export interface AuditStore {
  append(entry: AuditEntry): Promise<void>;
  /**
   * Newest first (by `at`, then by append order); `since` is inclusive. Throws
   * AuditEntryNotFoundError when `after` names no entry.
   */
  list(query: AuditQuery): Promise<AuditEntry[]>;
  /** Drops entries by `cut` (older by `at`; `keepNewest` in list order). Returns how many were dropped. */
  prune(cut: RetentionCut): Promise<number>;
}

export interface Store {
  flags: FlagStore;
  apiKeys: ApiKeyStore;
  audit: AuditStore;
  /** Usage analytics: hourly counters and unique-user sets (usage-store.ts). */
  usage: UsageStore;
  /** Resolves when the backing storage answers; rejects otherwise (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
