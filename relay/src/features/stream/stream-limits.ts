/** The stream's limits; every one is a setting (docs/protocol.md, "Settings"). */
export interface StreamLimits {
  /** Ping + `heartbeat` period; a peer that misses one pong is terminated at the next. */
  heartbeatIntervalMs: number;
  /** Unsent bytes a connection may hold before it is closed with 4008. */
  maxBufferedBytes: number;
  /** Changes kept in memory for resuming with `since`. */
  backlogSize: number;
  /** Open streams per relay. */
  maxConnections: number;
  /** Largest frame a client may send (the relay reads none). */
  maxPayloadBytes: number;
  /** How long a client with a `since` ahead of this relay waits for it to catch up with the store. */
  catchUpWaitMs: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  heartbeatIntervalMs: 30_000,
  maxBufferedBytes: 1024 * 1024,
  backlogSize: 1000,
  maxConnections: 20_000,
  maxPayloadBytes: 4096,
  catchUpWaitMs: 1000,
};
