import {
  decodeUserSketch,
  HLL_RELATIVE_STANDARD_ERROR,
  SwitchyardHttpError,
  SwitchyardTransportError,
  type UsageBatch,
} from '@switchyard/protocol';
import { describe, expect, it } from 'vitest';
import { UsageTracker } from './usage-tracker.js';

const clock = () => new Date('2026-11-25T08:00:00Z');
/** The relay's defaults: SWITCHYARD_USAGE_MAX_BODY_BYTES and SWITCHYARD_USAGE_MAX_ENTRIES_PER_BATCH. */
const RELAY_MAX_BODY_BYTES = 1024 * 1024;
const limits = { maxBatchBytes: 61_440, maxBatchEntries: 10_000, maxUserIdsPerEntry: 100 };
const bodyBytes = (batch: UsageBatch) => new TextEncoder().encode(JSON.stringify(batch)).length;

describe('UsageTracker', () => {
  it('when evaluations repeat, then they are sent as one count per flag, variant and on/off', async () => {
    const sent: UsageBatch[] = [];
    const tracker = new UsageTracker(async (batch) => void sent.push(batch), 10, limits, clock);
    tracker.countEvaluation('a', 'on', true, 'u1');
    tracker.countEvaluation('a', 'on', true, 'u2');
    tracker.countEvaluation('a', undefined, false, 'u1');
    await tracker.flush(false);
    expect(sent[0]?.evaluations).toEqual([
      {
        flagName: 'a',
        variant: 'on',
        enabled: true,
        count: 2,
        userIds: ['u1', 'u2'],
        periodStart: '2026-11-25T08:00:00.000Z',
      },
      {
        flagName: 'a',
        variant: undefined,
        enabled: false,
        count: 1,
        userIds: ['u1'],
        periodStart: '2026-11-25T08:00:00.000Z',
      },
    ]);
    await tracker.flush(false);
    expect(sent).toHaveLength(1);
  });

  it('when sending fails, then everything is kept for the next flush', async () => {
    const sent: UsageBatch[] = [];
    let fail = true;
    const tracker = new UsageTracker(
      async (batch) => {
        if (fail) throw new Error('offline');
        sent.push(batch);
      },
      10,
      limits,
      clock,
    );
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
    const tracker = new UsageTracker(async (batch) => void sent.push(batch), 2, limits, clock);
    for (const name of ['e1', 'e2', 'e3']) tracker.track({ name, metadata: {} });
    await tracker.flush(true);
    expect(sent[0]?.events?.map((event) => event.name)).toEqual(['e2', 'e3']);
    expect(sent[0]?.dropped).toBe(1);
  });
});

describe('UsageTracker limits', () => {
  it('when an entry would make the relay refuse the batch, then it is left out (events counted as dropped)', async () => {
    const sent: UsageBatch[] = [];
    const tracker = new UsageTracker(async (batch) => void sent.push(batch), 10, limits, clock);
    tracker.countEvaluation('x'.repeat(300), undefined, true, undefined);
    tracker.track({ name: 'big', metadata: { blob: 'y'.repeat(5000) } });
    tracker.track({ name: 'ok', metadata: {} });
    await tracker.flush(false);
    expect(sent[0]?.evaluations).toEqual([]);
    expect(sent[0]?.events?.map((event) => event.name)).toEqual(['ok']);
    expect(sent[0]?.dropped).toBe(1);
  });
});

describe('UsageTracker batches the relay refuses', () => {
  it('when metadata is short in characters but over 4096 bytes as UTF-8, then the event is dropped and counted', async () => {
    const sent: UsageBatch[] = [];
    const tracker = new UsageTracker(async (batch) => void sent.push(batch), 10, limits, clock);
    tracker.track({ name: 'weird', metadata: { note: 'é'.repeat(3000) } });
    await tracker.flush(false);
    expect(sent[0]?.events).toEqual([]);
    expect(sent[0]?.dropped).toBe(1);
  });

  it('when the relay refuses a batch with 400 or 413, then it is dropped, counted, and never sent again', async () => {
    for (const status of [400, 413]) {
      const sent: UsageBatch[] = [];
      let refuse = true;
      const tracker = new UsageTracker(
        async (batch) => {
          sent.push(batch);
          if (refuse) throw new SwitchyardHttpError(status, `the relay answered ${status}`);
        },
        10,
        limits,
        clock,
      );
      tracker.countEvaluation('a', 'on', true, 'u1');
      tracker.track({ name: 'refused', metadata: {} });
      await tracker.flush(false);
      refuse = false;
      tracker.track({ name: 'later', metadata: {} });
      await tracker.flush(false);
      expect(sent).toHaveLength(2);
      expect(sent[1]?.events?.map((event) => event.name)).toEqual(['later']);
      expect(sent[1]?.evaluations).toEqual([]);
      expect(sent[1]?.dropped).toBe(2);
    }
  });

  it('when the relay answers 429 or 503, then the batch is kept for the next flush', async () => {
    for (const status of [429, 503]) {
      const sent: UsageBatch[] = [];
      let fail = true;
      const tracker = new UsageTracker(
        async (batch) => {
          if (fail) throw new SwitchyardHttpError(status, `the relay answered ${status}`);
          sent.push(batch);
        },
        10,
        limits,
        clock,
      );
      tracker.track({ name: 'kept', metadata: {} });
      await tracker.flush(false);
      fail = false;
      await tracker.flush(false);
      expect(sent[0]?.events?.map((event) => event.name)).toEqual(['kept']);
      expect(sent[0]?.dropped).toBe(0);
    }
  });

  it('when 300 events with 4000-character metadata wait, then they go in several bodies, each under the byte limit', async () => {
    const sent: UsageBatch[] = [];
    const tracker = new UsageTracker(async (batch) => void sent.push(batch), 500, limits, clock);
    for (let i = 0; i < 300; i++) tracker.track({ name: `e${i}`, metadata: { note: 'x'.repeat(4000) } });
    await tracker.flush(false);
    expect(sent.length).toBeGreaterThan(1);
    for (const batch of sent) expect(bodyBytes(batch)).toBeLessThanOrEqual(limits.maxBatchBytes);
    expect(sent.flatMap((batch) => batch.events?.map((event) => event.name) ?? [])).toEqual(
      Array.from({ length: 300 }, (_, i) => `e${i}`),
    );
  });

  it('when the default byte limit applies, then no body reaches the relay default of 1 MiB', async () => {
    const sent: UsageBatch[] = [];
    const tracker = new UsageTracker(async (batch) => void sent.push(batch), 1000, limits, clock);
    for (let i = 0; i < 1000; i++) tracker.track({ name: `e${i}`, metadata: { note: 'é'.repeat(2000) } });
    await tracker.flush(true);
    expect(Math.max(...sent.map(bodyBytes))).toBeLessThan(RELAY_MAX_BODY_BYTES);
  });

  it('when more entries wait than maxEntries, then each body holds at most maxEntries', async () => {
    const sent: UsageBatch[] = [];
    const tracker = new UsageTracker(
      async (batch) => void sent.push(batch),
      10,
      { ...limits, maxBatchEntries: 3 },
      clock,
    );
    for (const flag of ['a', 'b', 'c', 'd']) tracker.countEvaluation(flag, undefined, true, undefined);
    tracker.countError('e', 'FLAG_NOT_FOUND');
    tracker.track({ name: 'x', metadata: {} });
    await tracker.flush(false);
    expect(
      sent.map((batch) => (batch.evaluations?.length ?? 0) + (batch.errors?.length ?? 0) + (batch.events?.length ?? 0)),
    ).toEqual([3, 3]);
  });

  it('when one part fails in transit, then it and the parts after it are kept in order', async () => {
    const sent: UsageBatch[] = [];
    let calls = 0;
    const tracker = new UsageTracker(
      async (batch) => {
        calls += 1;
        if (calls === 2) throw new SwitchyardTransportError('request to the relay failed');
        sent.push(batch);
      },
      10,
      { ...limits, maxBatchEntries: 1 },
      clock,
    );
    for (const name of ['e1', 'e2', 'e3']) tracker.track({ name, metadata: {} });
    await tracker.flush(false);
    await tracker.flush(false);
    expect(sent.flatMap((batch) => batch.events?.map((event) => event.name) ?? [])).toEqual(['e1', 'e2', 'e3']);
  });

  it('when more users than maxUserIdsPerEntry evaluate a flag (a shared kiosk), then a sketch of all of them is sent, and a failed send keeps it', async () => {
    const sent: UsageBatch[] = [];
    let fail = true;
    const tracker = new UsageTracker(
      async (batch) => {
        if (fail) throw new SwitchyardTransportError('offline');
        sent.push(batch);
      },
      10,
      { ...limits, maxUserIdsPerEntry: 5 },
      clock,
    );
    for (let i = 0; i < 300; i++) tracker.countEvaluation('a', 'on', true, `user-${i}`);
    await tracker.flush(false);
    fail = false;
    for (let i = 300; i < 400; i++) tracker.countEvaluation('a', 'on', true, `user-${i}`);
    await tracker.flush(false);
    const [entry] = sent[0]!.evaluations!;
    expect(entry).toMatchObject({ count: 400 });
    expect(entry!.userIds).toBeUndefined();
    expect(Math.abs(decodeUserSketch(entry!.userSketch!).estimate() - 400) / 400).toBeLessThan(
      3 * HLL_RELATIVE_STANDARD_ERROR,
    );
  });
});
