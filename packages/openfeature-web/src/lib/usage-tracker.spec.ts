import type { UsageBatch } from '@switchyard/protocol';
import { describe, expect, it } from 'vitest';
import { UsageTracker } from './usage-tracker.js';

const clock = () => new Date('2026-11-25T08:00:00Z');

describe('UsageTracker', () => {
  it('when evaluations repeat, then they are sent as one count per flag, variant and on/off', async () => {
    const sent: UsageBatch[] = [];
    const tracker = new UsageTracker(async (batch) => void sent.push(batch), 10, clock);
    tracker.countEvaluation('a', 'on', true, 'u1');
    tracker.countEvaluation('a', 'on', true, 'u2');
    tracker.countEvaluation('a', undefined, false, 'u1');
    await tracker.flush(false);
    expect(sent[0]?.evaluations).toEqual([
      { flagName: 'a', variant: 'on', enabled: true, count: 2, userIds: ['u1', 'u2'], periodStart: '2026-11-25T08:00:00.000Z' },
      { flagName: 'a', variant: undefined, enabled: false, count: 1, userIds: ['u1'], periodStart: '2026-11-25T08:00:00.000Z' },
    ]);
    await tracker.flush(false);
    expect(sent).toHaveLength(1);
  });

  it('when sending fails, then everything is kept for the next flush', async () => {
    const sent: UsageBatch[] = [];
    let fail = true;
    const tracker = new UsageTracker(async (batch) => {
      if (fail) throw new Error('offline');
      sent.push(batch);
    }, 10, clock);
    tracker.countEvaluation('a', 'on', true, undefined);
    tracker.track({ name: 'checkout', userId: 'u1', value: 5, metadata: {} });
    await tracker.flush(false);
    tracker.countEvaluation('a', 'on', true, undefined);
    fail = false;
    await tracker.flush(false);
    expect(sent[0]?.evaluations?.[0]?.count).toBe(2);
    expect(sent[0]?.events).toHaveLength(1);
  });

  it('when more events are tracked than the buffer holds, then the oldest are dropped and counted', async () => {
    const sent: UsageBatch[] = [];
    const tracker = new UsageTracker(async (batch) => void sent.push(batch), 2, clock);
    for (const name of ['e1', 'e2', 'e3']) tracker.track({ name, metadata: {} });
    await tracker.flush(true);
    expect(sent[0]?.events?.map((event) => event.name)).toEqual(['e2', 'e3']);
    expect(sent[0]?.dropped).toBe(1);
  });
});

describe('UsageTracker limits', () => {
  it('when an entry would make the relay refuse the batch, then it is left out (events counted as dropped)', async () => {
    const sent: UsageBatch[] = [];
    const tracker = new UsageTracker(async (batch) => void sent.push(batch), 10, clock);
    tracker.countEvaluation('x'.repeat(300), undefined, true, undefined);
    tracker.track({ name: 'big', metadata: { blob: 'y'.repeat(5000) } });
    tracker.track({ name: 'ok', metadata: {} });
    await tracker.flush(false);
    expect(sent[0]?.evaluations).toEqual([]);
    expect(sent[0]?.events?.map((event) => event.name)).toEqual(['ok']);
    expect(sent[0]?.dropped).toBe(1);
  });
});
