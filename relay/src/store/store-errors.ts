/** Raised by stores; the HTTP layer maps each to its status. Each carries a stable `code`. */
export class FlagExistsError extends Error {
  readonly code = 'FLAG_EXISTS';
  constructor(readonly flagName: string) {
    super(`a flag named "${flagName}" already exists`);
    this.name = 'FlagExistsError';
  }
}

export class FlagNotFoundError extends Error {
  readonly code = 'FLAG_NOT_FOUND';
  constructor(readonly flagName: string) {
    super(`no flag named "${flagName}"`);
    this.name = 'FlagNotFoundError';
  }
}

export class VersionConflictError extends Error {
  readonly code = 'VERSION_CONFLICT';
  constructor(
    readonly flagName: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(
      `flag "${flagName}" is at version ${actualVersion}, not ${expectedVersion}: it was changed since you read it`,
    );
    this.name = 'VersionConflictError';
  }
}

/** Key ids are generated, so creating one twice is a programming error. */
export class ApiKeyExistsError extends Error {
  readonly code = 'API_KEY_EXISTS';
  constructor(readonly id: string) {
    super(`an API key with id "${id}" already exists`);
    this.name = 'ApiKeyExistsError';
  }
}

/** An audit page was asked to start after an entry the store does not hold. */
export class AuditEntryNotFoundError extends Error {
  readonly code = 'AUDIT_ENTRY_NOT_FOUND';
  constructor(readonly id: string) {
    super(`no audit entry with id "${id}"`);
    this.name = 'AuditEntryNotFoundError';
  }
}

/** The backing storage cannot be reached; writes answer 503. */
export class StoreUnavailableError extends Error {
  readonly code = 'STORE_UNAVAILABLE';
  constructor(cause: unknown) {
    super('the flag store is unreachable', { cause });
    this.name = 'StoreUnavailableError';
  }
}

/** Another process (or another store in this one) holds the embedded store's data directory. */
export class DataDirLockedError extends Error {
  readonly code = 'DATA_DIR_LOCKED';
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `the data directory ${dataDir} is in use by process ${ownerPid}; stop it, or if no such process runs, ` +
        `delete ${dataDir}/store.lock`,
    );
    this.name = 'DataDirLockedError';
  }
}

/** The embedded store's files are damaged somewhere other than a torn last journal line. */
export class StoreCorruptError extends Error {
  readonly code = 'STORE_CORRUPT';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file} is damaged: ${detail}`);
    this.name = 'StoreCorruptError';
  }
}
