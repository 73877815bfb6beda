import type { AuditEntry, FlagChangeRecord, StoredFlag } from '../store.js';

/**
 * Flags, versions, changes and audit entries keep their content as a JSON string in `data`:
 * flag values and audit before/after are arbitrary JSON, whose keys (`$set`, `a.b`) MongoDB and
 * FerretDB would refuse or misread as field names. Only the fields queries need are stored beside it.
 */
export interface FlagDocument {
  name: string;
  version: number;
  revision: number;
  /** The revision that created this flag: tells its versions from those of an earlier flag of that name. */
  incarnation: number;
  description: string;
  tags: string[];
  /** Keys of `environments` (including `*`), for the environment filter. */
  environmentNames: string[];
  data: string;
}

/**
 * One version of a flag, inserted before anything else changes: the unique (name, incarnation,
 * version) index lets exactly one writer claim each version, which is what makes concurrent writes
 * safe on FerretDB too (its SQLite handler does not apply conditional updates atomically). A
 * deletion claims the next version as a tombstone (`deleted`).
 */
export interface FlagVersionDocument {
  name: string;
  incarnation: number;
  version: number;
  revision: number;
  /** When the version was written (absent on tombstones and on versions stored before retention existed). */
  updatedAt?: string;
  /** A tombstone: `data` is `null`. */
  deleted?: boolean;
  deletedAt?: string;
  data: string;
}

export interface FlagChangeDocument {
  revision: number;
  /**
   * `pending`: reserved by a writer still at work (readers wait, or settle it from the version it
   * claimed); `skip`: the write failed; neither is ever returned.
   */
  kind: FlagChangeRecord['kind'] | 'pending' | 'skip';
  flagName?: string;
  at: string;
  data?: string;
}

export interface AuditDocument {
  id: string;
  at: string;
  flagName?: string;
  data: string;
}

export interface CounterDocument {
  _id: string;
  value: number;
}

export function toFlagDocument(flag: StoredFlag, incarnation: number): FlagDocument {
  return {
    name: flag.name,
    version: flag.version,
    revision: flag.revision,
    incarnation,
    description: flag.description,
    tags: flag.tags,
    environmentNames: Object.keys(flag.environments),
    data: JSON.stringify(flag),
  };
}

export function fromData<T>(document: { data: string }): T {
  return JSON.parse(document.data) as T;
}

export function toVersionDocument(flag: StoredFlag, incarnation: number): FlagVersionDocument {
  return {
    name: flag.name,
    incarnation,
    version: flag.version,
    revision: flag.revision,
    updatedAt: flag.updatedAt,
    data: JSON.stringify(flag),
  };
}

export function toChangeDocument(change: FlagChangeRecord): FlagChangeDocument {
  return {
    revision: change.revision,
    kind: change.kind,
    flagName: change.flagName,
    at: change.at,
    ...(change.flag ? { data: JSON.stringify(change.flag) } : {}),
  };
}

export function fromChangeDocument(document: FlagChangeDocument): FlagChangeRecord {
  return {
    revision: document.revision,
    flagName: document.flagName ?? '',
    kind: document.kind === 'delete' ? 'delete' : 'upsert',
    at: document.at,
    ...(document.data ? { flag: JSON.parse(document.data) as StoredFlag } : {}),
  };
}

export function toAuditDocument(entry: AuditEntry): AuditDocument {
  return {
    id: entry.id,
    at: entry.at,
    ...(entry.flagName === undefined ? {} : { flagName: entry.flagName }),
    data: JSON.stringify(entry),
  };
}
