import { decodeUserSketch, HyperLogLog } from '@switchyard/protocol';
import { describe, expect, it } from 'vitest';
import { batchWeight, UsageRecorder } from './usage-recorder.js';

const LIMITS = { maxBufferedEvents: 2, maxCounters: 2, maxUserIdsPerCounter: 2 };
const event = (name: string) => ({ name, timestamp: '2026-01-01T00:00:00.000Z' });

describe('UsageRecorder', () => {
  it('when evaluations repeat, then they are counted per (flag, variant, enabled), past maxUserIdsPerCounter users as a sketch of all of them', () => {
    const recorder = new UsageRecorder(LIMITS, () => new Date('2026-01-01T00:00:00Z'));
    recorder.recordEvaluation('a', 'on', true, 'u1');
    recorder.recordEvaluation('a', 'on', true, 'u2');
    recorder.recordEvaluation('a', 'on', true, 'u3');
    recorder.recordEvaluation('a', undefined, false, undefined);
    const batch = recorder.takeBatch('production');
    expect(batch).toEqual({
      environment: 'production',
      evaluations: [
        {
          flagName: 'a',
          variant: 'on',
          enabled: true,
          count: 3,
          userSketch: expect.objectContaining({ precision: 12 }),
          periodStart: '2026-01-01T00:00:00.000Z',
        },
        { flagName: 'a', enabled: false, count: 1, periodStart: '2026-01-01T00:00:00.000Z' },
      ],
      errors: [],
      events: [],
      dropped: 0,
    });
    const users = decodeUserSketch(batch!.evaluations![0]!.userSketch!);
    const all = new HyperLogLog();
    ['u1', 'u2', 'u3'].forEach((id) => all.add(id));
    expect([...users.registers]).toEqual([...all.registers]);
  });

  it('when no more than maxUserIdsPerCounter users evaluate, then their ids are sent exactly', () => {
    const recorder = new UsageRecorder(LIMITS);
    recorder.recordEvaluation('a', 'on', true, 'u1');
    recorder.recordEvaluation('a', 'on', true, 'u2');
    recorder.recordEvaluation('a', 'on', true, 'u1');
    expect(recorder.takeBatch('production')?.evaluations?.[0]).toMatchObject({ count: 3, userIds: ['u1', 'u2'] });
  });

  it('when the counters or the event buffer are full, then what does not fit is dropped and counted', () => {
    const recorder = new UsageRecorder(LIMITS);
    recorder.recordEvaluation('a', undefined, true, undefined);
    recorder.recordError('b', 'FLAG_NOT_FOUND');
    recorder.recordError('c', 'FLAG_NOT_FOUND');
    recorder.recordEvaluation('d', undefined, true, undefined);
    recorder.recordEvaluation('a', undefined, true, undefined);
    ['x', 'y', 'z'].forEach((name) => recorder.recordEvent(event(name)));
    const batch = recorder.takeBatch(undefined);
    expect(batch?.dropped).toBe(3);
    expect(batch?.events).toHaveLength(2);
    expect(batch?.evaluations?.[0]?.count).toBe(2);
    expect(batchWeight(batch!)).toBe(2 + 1 + 2 + 3);
  });

  it('when a batch is taken, then the recorder starts over and an empty recorder gives no batch', () => {
    const recorder = new UsageRecorder(LIMITS);
    expect(recorder.takeBatch('production')).toBeUndefined();
    recorder.recordEvent(event('conversion'));
    expect(recorder.takeBatch('production')?.events).toHaveLength(1);
    expect(recorder.takeBatch('production')).toBeUndefined();
  });
});
