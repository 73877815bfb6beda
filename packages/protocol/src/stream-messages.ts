import type { Flag } from '@switchyard/core';

/**
 * Messages of the websocket at `GET /api/v1/stream` (see docs/protocol.md).
 * Every change to an environment's flags carries a revision: a number that only grows.
 * A client reconnects with `?since=<last revision seen>` and receives what it missed,
 * or a fresh snapshot when the relay no longer holds that history.
 */

/** A change to one flag, as a `server` key receives it: the whole new configuration. */
export type FlagChange =
  | { kind: 'upsert'; revision: number; flag: Flag }
  | { kind: 'delete'; revision: number; flagName: string };

/** `server` keys: the full configuration of the key's environment. */
export interface SnapshotMessage {
  type: 'snapshot';
  environment: string;
  revision: number;
  flags: Flag[];
}

/** `server` keys: changes after the last revision the client has. */
export interface ChangesMessage {
  type: 'changes';
  environment: string;
  revision: number;
  changes: FlagChange[];
}

/** `client` keys: only which flags changed, never their configuration. */
export interface FlagsChangedMessage {
  type: 'flags-changed';
  environment: string;
  revision: number;
  flagNames: string[];
}

export type StreamMessage = SnapshotMessage | ChangesMessage | FlagsChangedMessage;

/** Application close codes (4000-4999) the relay uses, because browsers' WebSocket hides HTTP status. */
export const STREAM_CLOSE_CODES = {
  /** The key is missing, unknown or revoked: do not retry with it. */
  unauthorized: 4401,
  /** The key's role may not open a stream. */
  forbidden: 4403,
  /** The client fell too far behind (slow consumer): reconnect with `since` to resync. */
  tooSlow: 4008,
  /** The relay is shutting down: reconnect elsewhere or later. */
  goingAway: 1001,
} as const;
