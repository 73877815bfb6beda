import {
  STREAM_CLOSE_CODES,
  STREAM_PROTOCOL_VERSION,
  type HeartbeatMessage,
  type HelloMessage,
  type StreamMessage,
  type StreamRole,
} from '@switchyard/protocol';
import type { Audience, FlagVisibility } from '../flags/flag-environments.js';
import type { AppliedChange, FlagMap } from '../flags/flag-map.js';
import { ChangeBacklog } from './change-backlog.js';
import { StreamQuota, type StreamCaller, type StreamRefusal } from './stream-quota.js';
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
  /** The messages the stream gets: `server` full changes, `client` the names of changed flags, `management` those of any environment. */
  role: HubRole;
  /** Which flags the stream may name; absent: the role's own (a client stream sees what client keys see, the others every flag). */
  audience?: Audience;
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
  /** Who opened it, counted against the limits per address and key (absent: not counted). */
  caller?: StreamCaller;
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

/** The streams of one environment that get the same bytes: one message format for one audience. */
interface Listeners {
  role: HubRole;
  audience: Audience;
  sessions: Set<StreamSession>;
}

export interface StreamStats {
  connections: number;
  slowConsumersClosed: number;
  deadConnectionsTerminated: number;
}

/**
 * Fans changes out to open streams. Knows nothing of sockets or of how changes are detected:
 * the sync calls `publish()` in revision order; connections come in through `attach()`.
 * Each message is serialized once per environment, role and audience, however many clients share it.
 */
export class StreamHub {
  /** Per environment, the listeners by `role/audience`. */
  private readonly groups = new Map<string, Map<string, Listeners>>();
  private backlog: ChangeBacklog;
  private readonly snapshots = new Map<string, { revision: number; frame: Buffer }>();
  private connectionCount = 0;
  private readonly quota: StreamQuota;
  private slowConsumersClosed = 0;
  private deadConnectionsTerminated = 0;

  constructor(
    private readonly flagMap: FlagMap,
    private readonly visibility: FlagVisibility,
    private readonly limits: StreamLimits,
  ) {
    this.quota = new StreamQuota(limits);
    this.backlog = new ChangeBacklog(limits.backlogSize);
  }

  /** The revision the hub's streams are at. */
  get revision(): number {
    return this.flagMap.revision;
  }

  /** Why a new stream (of `caller`, when known) would be refused right now, if it would. */
  refusal(caller?: StreamCaller): StreamRefusal | undefined {
    if (this.connectionCount >= this.limits.maxConnections) {
      return {
        code: STREAM_CLOSE_CODES.tooManyConnections,
        reason: `the relay holds its maximum number of streams (${this.limits.maxConnections})`,
      };
    }
    const overQuota = caller === undefined ? undefined : this.quota.refusal(caller);
    if (overQuota !== undefined) return overQuota;
    if (!this.flagMap.loaded) {
      return { code: STREAM_CLOSE_CODES.unavailable, reason: 'the relay has not loaded its flags yet' };
    }
    return undefined;
  }

  /** Registers a connection and sends `hello` plus its catch-up message. */
  attach(connection: StreamConnection, subscription: Subscription): StreamSession {
    const session = new StreamSession(connection, subscription);
    this.listeners(subscription).sessions.add(session);
    this.connectionCount += 1;
    if (subscription.caller !== undefined) this.quota.add(subscription.caller);
    if (subscription.role === MANAGEMENT_ROLE) {
      this.send(session, this.catchUp(subscription));
      return session;
    }
    const hello: HelloMessage = {
      type: 'hello',
      protocolVersion: STREAM_PROTOCOL_VERSION,
      role: subscription.role,
      environment: subscription.environment,
      revision: this.flagMap.revision,
      heartbeatIntervalMs: this.limits.heartbeatIntervalMs,
    };
    this.send(session, encode(hello));
    this.send(session, this.catchUp(subscription));
    return session;
  }

  /** Forgets a connection (it closed, or the hub closed it). */
  detach(session: StreamSession): void {
    const group = this.groups.get(session.subscription.environment);
    if (group?.get(listenersKey(session.subscription))?.sessions.delete(session)) {
      this.connectionCount -= 1;
      if (session.subscription.caller !== undefined) this.quota.remove(session.subscription.caller);
    }
    session.closed = true;
  }

  /** Sends changes, already applied to the flag map in revision order, to every stream they concern. */
  publish(changes: AppliedChange[]): void {
    if (changes.length === 0) return;
    for (const change of changes) this.backlog.push(change);
    this.snapshots.clear();
    const revision = this.flagMap.revision;
    for (const [environment, group] of this.groups) {
      for (const { role, audience, sessions } of group.values()) {
        if (sessions.size === 0) continue;
        const exists = this.visibility.existsFor(audience);
        if (role === MANAGEMENT_ROLE) {
          this.broadcast(sessions, encode(anyFlagsChangedMessage(revision, changes)));
        } else if (role === 'server') {
          const message = changesMessage(environment, revision, changes, exists);
          if (message.changes.length > 0) this.broadcast(sessions, encode(message));
        } else {
          const message = flagsChangedMessage(environment, revision, changes, exists);
          if (message.flagNames.length > 0) this.broadcast(sessions, encode(message));
        }
      }
    }
  }

  /** The flag map was reloaded, so the history before it is unknown: every stream resyncs. */
  reloaded(): void {
    this.backlog = new ChangeBacklog(this.limits.backlogSize);
    this.snapshots.clear();
    for (const [environment, group] of this.groups) {
      for (const { role, audience, sessions } of group.values()) {
        if (sessions.size > 0) this.broadcast(sessions, this.resyncFrame(role, environment, audience));
      }
    }
  }

  /** One heartbeat round (the `stream-heartbeats` job): terminates streams that missed the last pong, pings the rest. */
  heartbeat(): void {
    const message: HeartbeatMessage = { type: 'heartbeat', revision: this.flagMap.revision };
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

  /** Closes every stream with `code`. */
  stop(code: number = STREAM_CLOSE_CODES.goingAway, reason = 'the relay is shutting down'): void {
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

  private catchUp(subscription: Subscription): Buffer {
    const { role, environment, since } = subscription;
    const audience = audienceOfSubscription(subscription);
    const revision = this.flagMap.revision;
    const resumable = since !== undefined && this.backlog.covers(since, revision);
    if (!resumable) return this.resyncFrame(role, environment, audience);
    const missed = this.backlog.after(since);
    const exists = this.visibility.existsFor(audience);
    const message: StreamMessage =
      role === MANAGEMENT_ROLE
        ? anyFlagsChangedMessage(revision, missed)
        : role === 'server'
          ? changesMessage(environment, revision, missed, exists, { compact: true })
          : flagsChangedMessage(environment, revision, missed, exists);
    return encode(message);
  }

  /** What a stream gets when it cannot resume: a snapshot (server), or "re-fetch every flag" (client, management). */
  private resyncFrame(role: HubRole, environment: string, audience: Audience): Buffer {
    if (role === MANAGEMENT_ROLE) return encode(everyFlagChangedMessage(this.flagMap));
    const exists = this.visibility.existsFor(audience);
    return role === 'server'
      ? this.snapshotFrame(environment, audience)
      : encode(allFlagsChangedMessage(this.flagMap, environment, exists));
  }

  /** Snapshots are cached per environment and audience until the next change: a reconnect storm serializes once. */
  private snapshotFrame(environment: string, audience: Audience): Buffer {
    const key = `${environment}/${audience}`;
    const cached = this.snapshots.get(key);
    if (cached?.revision === this.flagMap.revision) return cached.frame;
    const frame = encode(snapshotMessage(this.flagMap, environment, this.visibility.existsFor(audience)));
    this.snapshots.set(key, { revision: this.flagMap.revision, frame });
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

  private listeners(subscription: Subscription): Listeners {
    let group = this.groups.get(subscription.environment);
    if (group === undefined) {
      group = new Map();
      this.groups.set(subscription.environment, group);
    }
    const key = listenersKey(subscription);
    let listeners = group.get(key);
    if (listeners === undefined) {
      listeners = { role: subscription.role, audience: audienceOfSubscription(subscription), sessions: new Set() };
      group.set(key, listeners);
    }
    return listeners;
  }

  private *sessions(): Generator<StreamSession> {
    for (const group of this.groups.values()) for (const listeners of group.values()) yield* [...listeners.sessions];
  }
}

function audienceOfSubscription(subscription: Subscription): Audience {
  return subscription.audience ?? (subscription.role === 'client' ? 'client' : 'server');
}

function listenersKey(subscription: Subscription): string {
  return `${subscription.role}/${audienceOfSubscription(subscription)}`;
}
