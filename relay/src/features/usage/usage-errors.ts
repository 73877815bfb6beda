/** Too much usage awaits a write (the store is slow or down): the sender should retry later. */
export class UsageBackpressureError extends Error {
  readonly code = 'USAGE_BACKPRESSURE';
  constructor(
    readonly pendingKeys: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`${pendingKeys} usage buckets await a write to the store; retry in ${retryAfterSeconds} s`);
    this.name = 'UsageBackpressureError';
  }
}
