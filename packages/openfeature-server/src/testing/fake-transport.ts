import type { Flag } from '@switchyard/core';
import type { FlagChange, StreamMessage, UsageBatch } from '@switchyard/protocol';
import type {
  StreamClosure,
  StreamConnection,
  StreamHandlers,
  SwitchyardTransport,
} from '../lib/transport/switchyard-transport.js';
import { SwitchyardHttpError } from '@switchyard/protocol';

/** One stream opened through the fake: the test plays the relay's side of it. */
export class FakeStream implements StreamConnection {
  closedByClient = false;

  constructor(
    readonly since: number | undefined,
    private readonly handlers: StreamHandlers,
  ) {}

  send(message: StreamMessage): void {
    this.handlers.onMessage(message);
  }

  hello(environment = 'production', revision = 0, heartbeatIntervalMs = 30_000): void {
    this.send({ type: 'hello', protocolVersion: 1, role: 'server', environment, revision, heartbeatIntervalMs });
  }

  snapshot(flags: Flag[], revision = 1, environment = 'production'): void {
    this.hello(environment, revision);
    this.send({ type: 'snapshot', environment, revision, flags });
  }

  changes(changes: FlagChange[], revision: number, environment = 'production'): void {
    this.send({ type: 'changes', environment, revision, changes });
  }

  /** The relay side ends the connection (or it never opened). */
  fail(closure: StreamClosure = { code: 1006, message: 'connection lost' }): void {
    this.handlers.onClose(closure);
  }

  close(): void {
    this.closedByClient = true;
  }
}

/**
 * A transport the test drives by hand: it records opened streams and usage batches, and fails
 * usage requests on demand.
 */
export class FakeTransport implements SwitchyardTransport {
  readonly streams: FakeStream[] = [];
  readonly batches: UsageBatch[] = [];
  /** Errors the next `sendUsage` calls throw, in order. */
  readonly usageFailures: Error[] = [];
  /** Like the relay's SWITCHYARD_USAGE_MAX_BODY_BYTES: larger usage bodies get 413. */
  usageMaxBodyBytes = Number.POSITIVE_INFINITY;
  /** Called for every opened stream, after `openStream` returned (a microtask later). */
  onOpen: ((stream: FakeStream) => void) | undefined;

  openStream(since: number | undefined, handlers: StreamHandlers): StreamConnection {
    const stream = new FakeStream(since, handlers);
    this.streams.push(stream);
    queueMicrotask(() => this.onOpen?.(stream));
    return stream;
  }

  async sendUsage(batch: UsageBatch): Promise<void> {
    const failure = this.usageFailures.shift();
    if (failure !== undefined) throw failure;
    if (Buffer.byteLength(JSON.stringify(batch)) > this.usageMaxBodyBytes)
      throw new SwitchyardHttpError(413, 'the relay answered 413');
    this.batches.push(structuredClone(batch));
  }

  get latest(): FakeStream {
    const stream = this.streams.at(-1);
    if (stream === undefined) throw new Error('no stream was opened');
    return stream;
  }
}
