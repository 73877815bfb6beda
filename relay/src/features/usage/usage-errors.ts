/** Too much usage awaits a write (the store is slow or down): the sender should retry later. */
export class UsageBackpressureError extends Error {
  readonly code = 'usage-backpressure';
  constructor(
    readonly pendingKeys: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`${pendingKeys} usage buckets await a write to the store; retry in ${retryAfterSeconds} s`);
    this.name = 'UsageBackpressureError';
  }
}

/** A server or client key sent usage for an environment other than its own. */
export class UsageEnvironmentMismatchError extends Error {
  readonly code = 'usage-environment-mismatch';
  constructor(
    readonly keyEnvironment: string,
    readonly batchEnvironment: string,
  ) {
    super(`this key belongs to environment "${keyEnvironment}" and cannot send usage for "${batchEnvironment}"`);
    this.name = 'UsageEnvironmentMismatchError';
  }
}

/** An admin key must name the environment its batch is for. */
export class UsageEnvironmentMissingError extends Error {
  readonly code = 'usage-environment-missing';
  constructor() {
    super('name the batch\'s "environment": this key is not bound to one');
    this.name = 'UsageEnvironmentMissingError';
  }
}
