import type { Flag } from '@switchyard/core';

/**
 * Messages of the websocket at `GET /api/v1/stream` (see docs/protocol.md).
 * Every change to the relay's flags carries a revision: a number that only grows.
 * A client reconnects with `?since=<last revision seen>` and receives what it missed,
 * or a fresh snapshot when the relay no longer holds that history.
 *
 * Only the relay sends messages; it ignores whatever a client sends.
 */

/** Version of this message set; `hello` carries it. Additions keep the version, breaking changes raise it. */
export const STREAM_PROTOCOL_VERSION = 1;

/** Roles that may open a stream. */
export type StreamRole = 'server' | 'client';

/**
 * A change to one flag, as a `server` key receives it: the whole new configuration, reduced to the
 * key's environment (`flag.environments` holds that one environment). `delete` also means "no longer
 * configured for your environment".
 */
export type FlagChange =
  { kind: 'upsert'; revision: number; flag: Flag } | { kind: 'delete'; revision: number; flagName: string };

/** Always the first message on a connection. */
export interface HelloMessage {
  type: 'hello';
  protocolVersion: number;
  role: StreamRole;
  environment: string;
  /** The relay's revision at connection time; what follows brings the client to it. */
  revision: number;
  /** How often the relay sends `heartbeat` (and pings); silence for twice this long means the link is dead. */
  heartbeatIntervalMs: number;
}

/** `server` keys: the full configuration of the key's environment (each flag reduced to that environment). */
export interface SnapshotMessage {
  type: 'snapshot';
  environment: string;
  revision: number;
  flags: Flag[];
}

/** `server` keys: changes after the last revision the client has, oldest first. */
export interface ChangesMessage {
  type: 'changes';
  environment: string;
  /** The revision the client is at once it has applied these changes. */
  revision: number;
  changes: FlagChange[];
}

/** `client` keys: only which flags changed, never their configuration. */
export interface FlagsChangedMessage {
  type: 'flags-changed';
  environment: string;
  revision: number;
  flagNames: string[];
  /** true: the relay cannot tell what the client missed; re-fetch every flag. `flagNames` then lists all current ones. */
  all?: boolean;
}

/** Sent every `heartbeatIntervalMs`, so clients that cannot see ws pings (browsers) can detect a dead link. */
export interface HeartbeatMessage {
  type: 'heartbeat';
  revision: number;
}

export type StreamMessage = HelloMessage | SnapshotMessage | ChangesMessage | FlagsChangedMessage | HeartbeatMessage;

/** Application close codes (4000-4999) the relay uses, because browsers' WebSocket hides HTTP status. */
export const STREAM_CLOSE_CODES = {
  /** The relay is shutting down: reconnect elsewhere or later (with `since`). */
  goingAway: 1001,
  /** `since` is not a non-negative integer: fix the request. */
  badRequest: 4400,
  /** The key is missing, unknown or revoked: do not retry with it. */
  unauthorized: 4401,
  /** The key's role may not open a stream (only `server` and `client` keys may). */
  forbidden: 4403,
  /** The client fell too far behind (slow consumer): reconnect with `since` to resync. */
  tooSlow: 4008,
  /** The relay holds its maximum number of streams: retry later with backoff, or another relay. */
  tooManyConnections: 4429,
  /** The relay's store was unreachable when the stream was opened and it has no flags in memory: retry later. */
  unavailable: 4503,
} as const;

export type StreamCloseCode = (typeof STREAM_CLOSE_CODES)[keyof typeof STREAM_CLOSE_CODES];
