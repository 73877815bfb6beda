import { readFileSync } from 'node:fs';

/** The stream's limits; every one is a setting (docs/protocol.md, "Settings"). */
export interface StreamLimits {
  /** Ping + `heartbeat` period; a peer that misses one pong is terminated at the next. */
  heartbeatIntervalMs: number;
  /** Unsent bytes a connection may hold before it is closed with 4008. */
  maxBufferedBytes: number;
  /** Changes kept in memory for resuming with `since`. */
  backlogSize: number;
  /** Open streams per relay; capped further by the process's descriptor limit minus `descriptorHeadroom` (streamCapOf). */
  maxConnections: number;
  /** File descriptors kept for HTTP, the store and files when the stream cap is derived from the descriptor limit. */
  descriptorHeadroom: number;
  /** Open streams per client address. */
  maxPerAddress: number;
  /** Open streams per key: an opt-in (every browser of an app shares its client key); undefined: none. */
  maxPerKey?: number;
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
  descriptorHeadroom: 1024,
  maxPerAddress: 500,
  maxPayloadBytes: 4096,
  catchUpWaitMs: 1000,
};

/** The process's open-file limit (Linux: /proc/self/limits, "Max open files"), undefined where it cannot be read or is unlimited. */
export function descriptorLimit(limitsText: string | undefined = readProcLimits()): number | undefined {
  const soft = limitsText === undefined ? undefined : /^Max open files\s+(\d+)/m.exec(limitsText)?.[1];
  return soft === undefined ? undefined : Number(soft);
}

/**
 * The streams a relay can really hold: the setting, but never more than the descriptor limit minus
 * the headroom, so HTTP (health checks included), the store and files still get descriptors when
 * every stream is taken.
 */
export function streamCapOf(limits: StreamLimits, descriptors: number | undefined): number {
  if (descriptors === undefined) return limits.maxConnections;
  return Math.max(1, Math.min(limits.maxConnections, descriptors - limits.descriptorHeadroom));
}

function readProcLimits(): string | undefined {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return undefined;
  }
}
