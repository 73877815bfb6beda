import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { booleanFlag } from '../testing/flag-builders.js';
import { FakeTransport } from '../testing/fake-transport.js';
import { isRejection, rejectionMessage, RelayConnection, type RelayConnectionListener } from './relay-connection.js';

function listener() {
  return {
    onSnapshot: vi.fn(),
    onChanges: vi.fn(),
    onDisconnected: vi.fn(),
    onRejected: vi.fn(),
  } satisfies RelayConnectionListener;
}

const OPTIONS = { reconnectBackoff: { initialDelayMs: 100, maxDelayMs: 1_000 }, connectTimeoutMs: 5_000 };

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('RelayConnection', () => {
  it('when the link drops, then it reconnects with since = the last revision applied', async () => {
    const transport = new FakeTransport();
    const events = listener();
    const connection = new RelayConnection(transport, events, OPTIONS, () => 0);
    connection.start();
    expect(transport.latest.since).toBeUndefined();
    transport.latest.snapshot([booleanFlag('a')], 7);
    transport.latest.changes([{ kind: 'delete', revision: 9, flagName: 'a' }], 9);
    transport.latest.send({ type: 'heartbeat', revision: 12 });
    transport.latest.fail();
    expect(events.onDisconnected).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(transport.streams).toHaveLength(2);
    expect(transport.latest.since).toBe(12);
    connection.stop();
  });

  it('when attempts keep failing, then the delay grows up to the maximum and resets after a success', async () => {
    const transport = new FakeTransport();
    // The highest jitter draw: each delay is three times the previous one, capped.
    const connection = new RelayConnection(transport, listener(), OPTIONS, () => 1);
    connection.start();
    const opensAfter = async (ms: number) => {
      const before = transport.streams.length;
      transport.latest.fail();
      await vi.advanceTimersByTimeAsync(ms - 1);
      expect(transport.streams.length).toBe(before);
      await vi.advanceTimersByTimeAsync(1);
      expect(transport.streams.length).toBe(before + 1);
    };
    await opensAfter(300);
    await opensAfter(900);
    await opensAfter(1_000);
    await opensAfter(1_000);
    transport.latest.snapshot([], 1);
    await opensAfter(300);
    connection.stop();
  });

  it('when the relay refuses the key, then it reports a rejection and stops retrying', async () => {
    const transport = new FakeTransport();
    const events = listener();
    const connection = new RelayConnection(transport, events, OPTIONS);
    connection.start();
    transport.latest.fail({ status: 401, message: 'unknown key' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(events.onRejected).toHaveBeenCalledWith({ status: 401, message: 'unknown key' });
    expect(events.onDisconnected).not.toHaveBeenCalled();
    expect(transport.streams).toHaveLength(1);
  });

  it('when the hello says the key is a client key, then it reports a rejection saying a server key is needed, closes and stops retrying', async () => {
    const transport = new FakeTransport();
    const events = listener();
    const connection = new RelayConnection(transport, events, OPTIONS);
    connection.start();
    transport.latest.send({
      type: 'hello',
      protocolVersion: 1,
      role: 'client',
      environment: 'production',
      revision: 3,
      heartbeatIntervalMs: 30_000,
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(events.onRejected).toHaveBeenCalledWith({
      message: expect.stringMatching(/client key: SwitchyardProvider needs a server key/),
    });
    expect(events.onDisconnected).not.toHaveBeenCalled();
    expect(transport.latest.closedByClient).toBe(true);
    expect(transport.streams).toHaveLength(1);
  });

  it('when nothing is heard for two heartbeat intervals, then the link counts as dead and is reopened', async () => {
    const transport = new FakeTransport();
    const events = listener();
    const connection = new RelayConnection(transport, events, OPTIONS, () => 0);
    connection.start();
    const first = transport.latest;
    first.hello('production', 1, 1_000);
    first.send({ type: 'snapshot', environment: 'production', revision: 1, flags: [] });
    await vi.advanceTimersByTimeAsync(1_500);
    first.send({ type: 'heartbeat', revision: 1 });
    await vi.advanceTimersByTimeAsync(1_999);
    expect(events.onDisconnected).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(first.closedByClient).toBe(true);
    expect(events.onDisconnected).toHaveBeenCalledWith({ message: 'no heartbeat from the relay' });
    await vi.advanceTimersByTimeAsync(100);
    expect(transport.streams).toHaveLength(2);
    connection.stop();
  });

  it('when an attempt delivers no configuration within connectTimeoutMs, then it is abandoned and retried', async () => {
    const transport = new FakeTransport();
    const events = listener();
    const connection = new RelayConnection(transport, events, OPTIONS, () => 0);
    connection.start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(events.onDisconnected).toHaveBeenCalledTimes(1);
    expect(transport.streams[0]?.closedByClient).toBe(true);
    connection.stop();
  });

  it('when stopped, then late messages and closes of the old connection are ignored', () => {
    const transport = new FakeTransport();
    const events = listener();
    const connection = new RelayConnection(transport, events, OPTIONS);
    connection.start();
    connection.stop();
    transport.latest.snapshot([], 1);
    transport.latest.fail();
    expect(events.onSnapshot).not.toHaveBeenCalled();
    expect(events.onDisconnected).not.toHaveBeenCalled();
  });
});

describe('isRejection', () => {
  it.each([
    [{ status: 401, message: '' }, true],
    [{ status: 403, message: '' }, true],
    [{ code: 4401, message: '' }, true],
    [{ code: 4400, message: '' }, true],
    [{ status: 503, message: '' }, false],
    [{ code: 4429, message: '' }, false],
    [{ code: 1001, message: '' }, false],
    [{ message: 'ECONNREFUSED' }, false],
  ])('%j → %s', (closure, expected) => {
    expect(isRejection(closure)).toBe(expected);
  });
});

describe('rejectionMessage', () => {
  it.each([
    [{ status: 401, message: 'unknown key' }, 'the relay rejected the server key (HTTP 401): unknown key'],
    [{ code: 4403, message: 'forbidden' }, 'the relay rejected the server key (close code 4403): forbidden'],
    [{ code: 4400, message: 'bad since' }, 'the relay refused the stream request (close code 4400): bad since'],
    [{ message: 'the key is a client key: …' }, 'the key is a client key: …'],
  ])('%j → %s', (closure, expected) => {
    expect(rejectionMessage(closure)).toBe(expected);
  });
});
