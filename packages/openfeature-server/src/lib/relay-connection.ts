import { Backoff, STREAM_CLOSE_CODES, type BackoffOptions } from '@switchyard/protocol';
import type { ChangesMessage, SnapshotMessage, StreamMessage } from '@switchyard/protocol';
import type { StreamClosure, StreamConnection, SwitchyardTransport } from './transport/switchyard-transport.js';

export interface RelayConnectionListener {
  /** The first message of a connection that brings the client up to date, or a later snapshot. */
  onSnapshot(message: SnapshotMessage): void;
  onChanges(message: ChangesMessage): void;
  /** The link is down (or an attempt failed); the connection retries by itself. */
  onDisconnected(closure: StreamClosure): void;
  /**
   * The relay refused the key or the request for good, or the key is not a server key; the
   * connection has stopped. A closure without `code` or `status` was decided here, not by the relay.
   */
  onRejected(closure: StreamClosure): void;
}

export interface RelayConnectionOptions {
  reconnectBackoff: BackoffOptions;
  /** An attempt that has not delivered its catch-up message by then is abandoned. */
  connectTimeoutMs: number;
}

/** Heard nothing for this many heartbeat intervals: the link is dead (docs/protocol.md). */
const HEARTBEATS_BEFORE_DEAD = 2;

/** Refusals that retrying with the same key and request cannot fix. */
const FATAL_CLOSE_CODES = new Set<number>([
  STREAM_CLOSE_CODES.unauthorized,
  STREAM_CLOSE_CODES.forbidden,
  STREAM_CLOSE_CODES.badRequest,
]);
const FATAL_HTTP_STATUSES = new Set([400, 401, 403]);

export function isRejection(closure: StreamClosure): boolean {
  return (
    (closure.code !== undefined && FATAL_CLOSE_CODES.has(closure.code)) ||
    (closure.status !== undefined && FATAL_HTTP_STATUSES.has(closure.status))
  );
}

/** Why the provider gave up for good, in words that say what to fix. */
export function rejectionMessage(closure: StreamClosure): string {
  // Neither code nor status: the connection refused the key itself (e.g. a client key), and says why.
  if (closure.status === undefined && closure.code === undefined) return closure.message;
  const how = closure.status !== undefined ? `HTTP ${closure.status}` : `close code ${closure.code}`;
  const badRequest = closure.status === 400 || closure.code === STREAM_CLOSE_CODES.badRequest;
  return badRequest
    ? `the relay refused the stream request (${how}): ${closure.message}`
    : `the relay rejected the server key (${how}): ${closure.message}`;
}

/**
 * One logical link to the relay's stream: connects, resumes with `since` after the last revision
 * applied, detects dead links through heartbeats, and reconnects with backoff until stopped.
 */
export class RelayConnection {
  private connection: StreamConnection | undefined;
  private revision: number | undefined;
  private readonly backoff: Backoff;
  private retryTimer: NodeJS.Timeout | undefined;
  private livenessTimer: NodeJS.Timeout | undefined;
  private stopped = true;
  /** Whether the current connection has delivered its catch-up message. */
  private caughtUp = false;
  /** From the current connection's `hello`. */
  private heartbeatIntervalMs: number | undefined;

  constructor(
    private readonly transport: SwitchyardTransport,
    private readonly listener: RelayConnectionListener,
    private readonly options: RelayConnectionOptions,
    random?: () => number,
  ) {
    this.backoff = new Backoff(options.reconnectBackoff, random);
  }

  /** The revision of the last snapshot, changes or heartbeat applied; sent as `since` on reconnect. */
  get lastRevision(): number | undefined {
    return this.revision;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.livenessTimer);
    this.connection?.close();
    this.connection = undefined;
  }

  private connect(): void {
    if (this.stopped) return;
    this.caughtUp = false;
    this.heartbeatIntervalMs = undefined;
    const connection = this.transport.openStream(this.revision, {
      onMessage: (message) => {
        if (this.connection === connection) this.handleMessage(message);
      },
      onClose: (closure) => {
        if (this.connection === connection) this.handleClose(closure);
      },
    });
    this.connection = connection;
    this.watchLiveness(this.options.connectTimeoutMs, 'no configuration from the relay within connectTimeoutMs');
  }

  private handleMessage(message: StreamMessage): void {
    switch (message.type) {
      case 'hello':
        if (message.role !== 'server') {
          // A client key streams flag names only: no configuration would ever arrive.
          this.refuse(
            `the key is a ${message.role} key: SwitchyardProvider needs a server key (switchyard keys create --role server)`,
          );
          return;
        }
        this.heartbeatIntervalMs = message.heartbeatIntervalMs;
        break;
      case 'snapshot':
        this.listener.onSnapshot(message);
        this.markApplied(message.revision);
        break;
      case 'changes':
        this.listener.onChanges(message);
        this.markApplied(message.revision);
        break;
      case 'heartbeat':
        if (this.caughtUp) this.revision = Math.max(this.revision ?? 0, message.revision);
        break;
      default:
        // flags-changed is for client keys; anything newer than this provider is ignored.
        break;
    }
    this.rearmLiveness();
  }

  private markApplied(revision: number): void {
    this.revision = revision;
    if (!this.caughtUp) {
      this.caughtUp = true;
      this.backoff.reset();
    }
  }

  private rearmLiveness(): void {
    if (!this.caughtUp) return;
    if (this.heartbeatIntervalMs === undefined || this.heartbeatIntervalMs <= 0) {
      clearTimeout(this.livenessTimer);
      return;
    }
    this.watchLiveness(HEARTBEATS_BEFORE_DEAD * this.heartbeatIntervalMs, 'no heartbeat from the relay');
  }

  private watchLiveness(timeoutMs: number, message: string): void {
    clearTimeout(this.livenessTimer);
    this.livenessTimer = setTimeout(() => {
      this.connection?.close();
      this.handleClose({ message });
    }, timeoutMs);
    this.livenessTimer.unref?.();
  }

  private refuse(message: string): void {
    this.stop();
    this.listener.onRejected({ message });
  }

  private handleClose(closure: StreamClosure): void {
    clearTimeout(this.livenessTimer);
    this.connection = undefined;
    if (this.stopped) return;
    if (isRejection(closure)) {
      this.stopped = true;
      this.listener.onRejected(closure);
      return;
    }
    this.listener.onDisconnected(closure);
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => this.connect(), this.backoff.next());
    this.retryTimer.unref?.();
  }
}
