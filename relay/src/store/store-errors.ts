/** Raised by stores; the HTTP layer maps each to its status. */
export class FlagExistsError extends Error {
  constructor(readonly flagName: string) {
    super(`a flag named "${flagName}" already exists`);
    this.name = 'FlagExistsError';
  }
}

export class FlagNotFoundError extends Error {
  constructor(readonly flagName: string) {
    super(`no flag named "${flagName}"`);
    this.name = 'FlagNotFoundError';
  }
}

export class VersionConflictError extends Error {
  constructor(
    readonly flagName: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`flag "${flagName}" is at version ${actualVersion}, not ${expectedVersion}: it was changed since you read it`);
    this.name = 'VersionConflictError';
  }
}

/** The backing storage cannot be reached; writes answer 503. */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the flag store is unreachable', { cause });
    this.name = 'StoreUnavailableError';
  }
}
