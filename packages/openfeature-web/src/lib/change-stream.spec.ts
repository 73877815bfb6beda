import { afterEach, describe, expect, it, vi } from 'vitest';
import { Backoff } from '@switchyard/protocol';
import { openChangeStream, type WebSocketFactory } from './change-stream.js';

/** Stands in for the browser's WebSocket: the test opens, messages and closes it. */
class ScriptedSocket {
  static opened: ScriptedSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  closedWith: number | undefined;
  constructor(readonly url: string) {
    ScriptedSocket.opened.push(this);
  }
  close(code: number): void {
    this.closedWith = code;
  }
}

const RECONNECT_DELAY_MS = 1000;
/** The lowest jitter draw: every reconnect waits the initial delay. */
const backoff = () => new Backoff({ initialDelayMs: RECONNECT_DELAY_MS, maxDelayMs: 4000 }, () => 0);

function handlers() {
  return { onFlagsChanged: vi.fn(), onOpen: vi.fn(), onClose: vi.fn() };
}

afterEach(() => {
  ScriptedSocket.opened = [];
  vi.useRealTimers();
});

describe('openChangeStream', () => {
  it('when a flags-changed message arrives, then its flag names are handed on and other messages are ignored', () => {
    const h = handlers();
    openChangeStream('ws://relay/api/v1/stream?key=k', h, backoff(), ScriptedSocket as unknown as WebSocketFactory);
    const socket = ScriptedSocket.opened[0]!;
    socket.onopen?.();
    socket.onmessage?.({ data: JSON.stringify({ type: 'hello', revision: 1 }) });
    socket.onmessage?.({ data: 'not json' });
    socket.onmessage?.({ data: JSON.stringify({ type: 'flags-changed', revision: 2, flagNames: ['a', 'b'] }) });
    expect(h.onOpen).toHaveBeenCalledTimes(1);
    expect(h.onFlagsChanged.mock.calls).toEqual([[['a', 'b']]]);
  });

  it('when the socket drops, then it reconnects after the backoff delays, growing up to the maximum', () => {
    vi.useFakeTimers();
    const h = handlers();
    // The highest jitter draw: each delay is three times the previous one, capped.
    const highest = new Backoff({ initialDelayMs: RECONNECT_DELAY_MS, maxDelayMs: 4000 }, () => 1);
    openChangeStream('ws://relay', h, highest, ScriptedSocket as unknown as WebSocketFactory);
    for (const delay of [3000, 4000, 4000]) {
      const count = ScriptedSocket.opened.length;
      ScriptedSocket.opened.at(-1)!.onclose?.({ code: 1006 });
      vi.advanceTimersByTime(delay - 1);
      expect(ScriptedSocket.opened).toHaveLength(count);
      vi.advanceTimersByTime(1);
      expect(ScriptedSocket.opened).toHaveLength(count + 1);
    }
    expect(h.onClose).toHaveBeenCalledWith(false);
  });

  it('when the relay closes with 4401 (rejected key), then it reports a fatal close and never reconnects', () => {
    vi.useFakeTimers();
    const h = handlers();
    openChangeStream('ws://relay', h, backoff(), ScriptedSocket as unknown as WebSocketFactory);
    ScriptedSocket.opened[0]!.onclose?.({ code: 4401 });
    vi.advanceTimersByTime(60_000);
    expect(h.onClose).toHaveBeenCalledWith(true);
    expect(ScriptedSocket.opened).toHaveLength(1);
  });

  it('when closed by the provider, then no reconnect follows', () => {
    vi.useFakeTimers();
    const h = handlers();
    const stream = openChangeStream('ws://relay', h, backoff(), ScriptedSocket as unknown as WebSocketFactory);
    stream.close();
    ScriptedSocket.opened[0]!.onclose?.({ code: 1000 });
    vi.advanceTimersByTime(60_000);
    expect(ScriptedSocket.opened).toHaveLength(1);
    expect(h.onClose).not.toHaveBeenCalled();
  });
});

describe('openChangeStream liveness', () => {
  const hello = JSON.stringify({ type: 'hello', revision: 1, heartbeatIntervalMs: 15_000 });
  const heartbeat = JSON.stringify({ type: 'heartbeat', revision: 1 });

  it('when heartbeats keep arriving, then the socket is kept', () => {
    vi.useFakeTimers();
    const h = handlers();
    openChangeStream('ws://relay', h, backoff(), ScriptedSocket as unknown as WebSocketFactory);
    const socket = ScriptedSocket.opened[0]!;
    socket.onopen?.();
    socket.onmessage?.({ data: hello });
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(15_000);
      socket.onmessage?.({ data: heartbeat });
    }
    expect(socket.closedWith).toBeUndefined();
    expect(h.onClose).not.toHaveBeenCalled();
  });

  it('when nothing arrives for two heartbeat intervals, then it closes the socket, reports the drop and reconnects', () => {
    vi.useFakeTimers();
    const h = handlers();
    openChangeStream('ws://relay', h, backoff(), ScriptedSocket as unknown as WebSocketFactory);
    const dead = ScriptedSocket.opened[0]!;
    dead.onopen?.();
    dead.onmessage?.({ data: hello });
    vi.advanceTimersByTime(29_999);
    expect(h.onClose).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(dead.closedWith).toBe(1000);
    expect(h.onClose).toHaveBeenCalledWith(false);
    vi.advanceTimersByTime(RECONNECT_DELAY_MS);
    expect(ScriptedSocket.opened).toHaveLength(2);
    // The dead socket's late close and messages belong to the past: no second drop, no stray change.
    dead.onclose?.({ code: 1006 });
    dead.onmessage?.({ data: JSON.stringify({ type: 'flags-changed', revision: 2, flagNames: ['a'] }) });
    expect(h.onClose).toHaveBeenCalledTimes(1);
    expect(h.onFlagsChanged).not.toHaveBeenCalled();
    ScriptedSocket.opened[1]!.onopen?.();
    expect(h.onOpen).toHaveBeenCalledTimes(2);
  });

  it('when a reconnected socket stays silent, then the interval learnt from the last hello still applies', () => {
    vi.useFakeTimers();
    const h = handlers();
    openChangeStream('ws://relay', h, backoff(), ScriptedSocket as unknown as WebSocketFactory);
    ScriptedSocket.opened[0]!.onopen?.();
    ScriptedSocket.opened[0]!.onmessage?.({ data: hello });
    ScriptedSocket.opened[0]!.onclose?.({ code: 1006 });
    vi.advanceTimersByTime(RECONNECT_DELAY_MS);
    ScriptedSocket.opened[1]!.onopen?.();
    vi.advanceTimersByTime(30_000);
    expect(ScriptedSocket.opened[1]!.closedWith).toBe(1000);
    expect(h.onClose).toHaveBeenCalledTimes(2);
  });
});
