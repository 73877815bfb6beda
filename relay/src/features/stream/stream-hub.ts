import {
  STREAM_CLOSE_CODES,
  STREAM_PROTOCOL_VERSION,
  type HeartbeatMessage,
  type HelloMessage,
  type StreamMessage,
  type StreamRole,
} from '@switchyard/protocol';
import type { AppliedChange, FlagMirror } from '../sync/flag-mirror.js';
import { ChangeBacklog } from './change-backlog.js';
import type { StreamConnection } from './stream-connection.js';
import type { StreamLimits } from './stream-limits.js';
import {
  allFlagsChangedMessage,
  anyFlagsChangedMessage,
  changesMessage,
  everyFlagChangedMessage,
  flagsChangedMessage,
  snapshotMessage,
} from './stream-message-builder.js';

/** Serialized once, then the same bytes go to every stream that shares the message. */
function encode(message: StreamMessage): Buffer {
  return Buffer.from(JSON.stringify(message));
}

/** Streams of the console (admin, editor, viewer keys): told which flags changed, in any environment. */
export const MANAGEMENT_ROLE = 'management';
export type HubRole = StreamRole | typeof MANAGEMENT_ROLE;

export interface Subscription {
  role: HubRole;
  /** The key's environment; `*` for management streams, which follow every environment. */
  environment: string;
  /** The last revision the client applied; undefined: start fresh. */
  since?: number;
  /**
   * Whether the key that opened the stream is still valid; asked at every heartbeat, so a key
   * revoked (on any relay) stops streaming within a heartbeat interval plus the key cache time.
   * A rejection (the store is unreachable) keeps the stream.
   */
  stillAuthorized?: () => Promise<boolean>;
}

/** One open stream. The adapter calls `markAlive()` on every pong. */
export class StreamSession {
  alive = true;
  closed = false;
  constructor(
    readonly connection: StreamConnection,
    readonly subscription: Subscription,
  ) {}

  markAlive(): void {
    this.alive = true;
  }
}

export interface StreamRefusal {
  code: number;
  reason: string;
}

interface EnvironmentGroup {
  server: Set<StreamSession>;
  client: Set<StreamSession>;
  management: Set<StreamSession>;
}

export interface StreamStats {
  connections: number;
  slowConsumersClosed: number;
  deadConnectionsTerminated: number;
}

/**
 * Fans changes out to open streams. Knows nothing of sockets or of how changes are detected:
 * the sync calls `publish()` in revision order; connections come in through `attach()`.
 * Each message is serialized once per environment and role, however many clients share it.
 */
export class StreamHub {
  private readonly groups = new Map<string, EnvironmentGroup>();
  private backlog: ChangeBacklog;
  private readonly snapshots = new Map<string, { revision: number; frame: Buffer }>();
  private timer: NodeJS.Timeout | undefined;
  private connectionCount = 0;
  private slowConsumersClosed = 0;
  private deadConnectionsTerminated = 0;

  constructor(
    private readonly mirror: FlagMirror,
    private readonly limits: StreamLimits,
  ) {
    this.backlog = new ChangeBacklog(limits.backlogSize);
  }

  /** The revision the hub's streams are at. */
  get revision(): number {
    return this.mirror.revision;
  }

  /** Why a new stream would be refused right now, if it would. */
  refusal(): StreamRefusal | undefined {
    if (this.connectionCount >= this.limits.maxConnections) {
      return { code: STREAM_CLOSE_CODES.tooManyConnections, reason: 'the relay holds its maximum number of streams' };
    }
    if (!this.mirror.loaded) {
      return { code: STREAM_CLOSE_CODES.unavailable, reason: 'the relay has not loaded its flags yet' };
    }
    return undefined;
  }

  /** Registers a connection and sends `hello` plus its catch-up message. */
  attach(connection: StreamConnection, subscription: Subscription): StreamSession {
    const session = new StreamSession(connection, subscription);
    this.group(subscription.environment)[subscription.role].add(session);
    this.connectionCount += 1;
    if (subscription.role === MANAGEMENT_ROLE) {
      this.send(session, this.catchUp(subscription));
      return session;
    }
    const hello: HelloMessage = {
      type: 'hello',
      protocolVersion: STREAM_PROTOCOL_VERSION,
      role: subscription.role,
      environment: subscription.environment,
      revision: this.mirror.revision,
      heartbeatIntervalMs: this.limits.heartbeatIntervalMs,
    };
    this.send(session, encode(hello));
    this.send(session, this.catchUp(subscription));
    return session;
  }

  /** Forgets a connection (it closed, or the hub closed it). */
  detach(session: StreamSession): void {
    const group = this.groups.get(session.subscription.environment);
    if (group?.[session.subscription.role].delete(session)) this.connectionCount -= 1;
    session.closed = true;
  }

  /** Sends changes, already applied to the mirror in revision order, to every stream they concern. */
  publish(changes: AppliedChange[]): void {
    if (changes.length === 0) return;
    for (const change of changes) this.backlog.push(change);
    this.snapshots.clear();
    const revision = this.mirror.revision;
    for (const [environment, group] of this.groups) {
      if (group.server.size > 0) {
        const message = changesMessage(environment, revision, changes);
        if (message.changes.length > 0) this.broadcast(group.server, encode(message));
      }
      if (group.client.size > 0) {
        const message = flagsChangedMessage(environment, revision, changes);
        if (message.flagNames.length > 0) this.broadcast(group.client, encode(message));
      }
      if (group.management.size > 0) this.broadcast(group.management, encode(anyFlagsChangedMessage(revision, changes)));
    }
  }

  /** The mirror was reloaded, so the history before it is unknown: every stream resyncs. */
  reloaded(): void {
    this.backlog = new ChangeBacklog(this.limits.backlogSize);
    this.snapshots.clear();
    for (const [environment, group] of this.groups) {
      if (group.server.size > 0) this.broadcast(group.server, this.snapshotFrame(environment));
      if (group.client.size > 0) {
        this.broadcast(group.client, encode(allFlagsChangedMessage(this.mirror, environment)));
      }
      if (group.management.size > 0) this.broadcast(group.management, encode(everyFlagChangedMessage(this.mirror)));
    }
  }

  /** One heartbeat round: terminates streams that missed the last pong, pings the rest. */
  heartbeat(): void {
    const message: HeartbeatMessage = { type: 'heartbeat', revision: this.mirror.revision };
    const frame = encode(message);
    for (const session of this.sessions()) {
      if (!session.alive) {
        this.deadConnectionsTerminated += 1;
        this.detach(session);
        session.connection.terminate();
        continue;
      }
      session.alive = false;
      session.connection.ping();
      this.send(session, frame);
      if (session.subscription.stillAuthorized) this.recheck(session, session.subscription.stillAuthorized);
    }
  }

  private recheck(session: StreamSession, stillAuthorized: () => Promise<boolean>): void {
    stillAuthorized().then(
      (authorized) => {
        if (authorized || session.closed) return;
        this.detach(session);
        session.connection.close(STREAM_CLOSE_CODES.unauthorized, 'the key was revoked');
      },
      () => undefined,
    );
  }

  start(): void {
    this.timer ??= setInterval(() => this.heartbeat(), this.limits.heartbeatIntervalMs);
    this.timer.unref();
  }

  /** Stops heartbeats and closes every stream with `code`. */
  stop(code: number = STREAM_CLOSE_CODES.goingAway, reason = 'the relay is shutting down'): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const session of this.sessions()) {
      this.detach(session);
      session.connection.close(code, reason);
    }
  }

  stats(): StreamStats {
    return {
      connections: this.connectionCount,
      slowConsumersClosed: this.slowConsumersClosed,
      deadConnectionsTerminated: this.deadConnectionsTerminated,
    };
  }

  private catchUp({ role, environment, since }: Subscription): Buffer {
    const revision = this.mirror.revision;
    const resumable = since !== undefined && this.backlog.covers(since, revision);
    if (role === MANAGEMENT_ROLE) {
      return encode(resumable ? anyFlagsChangedMessage(revision, this.backlog.after(since)) : everyFlagChangedMessage(this.mirror));
    }
    if (!resumable) {
      return role === 'server'
        ? this.snapshotFrame(environment)
        : encode(allFlagsChangedMessage(this.mirror, environment));
    }
    const missed = this.backlog.after(since);
    const message: StreamMessage =
      role === 'server'
        ? changesMessage(environment, revision, missed, { compact: true })
        : flagsChangedMessage(environment, revision, missed);
    return encode(message);
  }

  /** Snapshots are cached per environment until the next change: a reconnect storm serializes once. */
  private snapshotFrame(environment: string): Buffer {
    const cached = this.snapshots.get(environment);
    if (cached?.revision === this.mirror.revision) return cached.frame;
    const frame = encode(snapshotMessage(this.mirror, environment));
    this.snapshots.set(environment, { revision: this.mirror.revision, frame });
    return frame;
  }

  private broadcast(sessions: Set<StreamSession>, frame: Buffer): void {
    for (const session of sessions) this.send(session, frame);
  }

  /** Checked before sending, so a connection holds at most the limit plus one message. */
  private send(session: StreamSession, frame: Buffer): void {
    if (session.closed) return;
    if (session.connection.bufferedAmount > this.limits.maxBufferedBytes) {
      this.slowConsumersClosed += 1;
      this.detach(session);
      session.connection.close(STREAM_CLOSE_CODES.tooSlow, 'too many unread bytes: reconnect with since');
      return;
    }
    session.connection.send(frame);
  }

  private group(environment: string): EnvironmentGroup {
    let group = this.groups.get(environment);
    if (group === undefined) {
      group = { server: new Set(), client: new Set(), management: new Set() };
      this.groups.set(environment, group);
    }
    return group;
  }

  private *sessions(): Generator<StreamSession> {
    for (const group of this.groups.values()) {
      yield* [...group.server];
      yield* [...group.client];
      yield* [...group.management];
    }
  }
}
