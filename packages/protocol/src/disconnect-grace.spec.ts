import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DisconnectGrace } from './disconnect-grace.js';

describe('DisconnectGrace', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const graceWith = (staleAfterMs: number, errorAfterMs: number) => {
    const events: string[] = [];
    const grace = new DisconnectGrace(
      { staleAfterMs, errorAfterMs },
      { stale: () => events.push('stale'), error: () => events.push('error') },
    );
    return { grace, events };
  };

  it('when the link stays lost, then STALE after staleAfterMs and ERROR after errorAfterMs, both from the loss', () => {
    const { grace, events } = graceWith(1_000, 5_000);
    grace.start();
    vi.advanceTimersByTime(999);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(events).toEqual(['stale']);
    grace.start(); // a later failure does not restart the clocks
    vi.advanceTimersByTime(4_000);
    expect(events).toEqual(['stale', 'error']);
    expect(grace.running).toBe(true);
  });

  it('when staleAfterMs is 0, then STALE at once', () => {
    const { grace, events } = graceWith(0, 5_000);
    grace.start();
    expect(events).toEqual(['stale']);
  });

  it('when the link is back before the grace ends, then neither fires, and the next loss starts afresh', () => {
    const { grace, events } = graceWith(1_000, 5_000);
    grace.start();
    vi.advanceTimersByTime(900);
    grace.clear();
    expect(grace.running).toBe(false);
    vi.advanceTimersByTime(10_000);
    expect(events).toEqual([]);
    grace.start();
    vi.advanceTimersByTime(1_000);
    expect(events).toEqual(['stale']);
  });
});
