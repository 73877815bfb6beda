import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageFileStore } from '../../store/usage/usage-file-store.js';
import { NO_FLAG, uniqueDimension, type UsageDelta, type UsageStore } from '../../store/usage/usage-store.js';
import { UsageBackpressureError } from './usage-errors.js';
import { UsageRecorder } from './usage-recorder.js';
import { USAGE_DEFAULTS } from './usage-settings.js';

const NOW = Date.parse('2026-11-25T06:30:00.000Z');
const range = { from: '2026-11-25T00:00:00.000Z', to: '2026-11-26T00:00:00.000Z' };

describe('UsageRecorder', () => {
  let dataDir: string;
  let store: UsageFileStore;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'switchyard-recorder-'));
    store = await UsageFileStore.open(dataDir);
  });
  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('when a batch is ingested and flushed, then its counts land in hourly buckets', async () => {
    const recorder = new UsageRecorder(store, USAGE_DEFAULTS, () => NOW);
    const summary = recorder.ingest('production', {
      evaluations: [
        {
          flagName: 'checkout',
          variant: 'blue',
          enabled: true,
          count: 5,
          userIds: ['u1', 'u2'],
          periodStart: '2026-11-25T05:59:00Z',
        },
        {
          flagName: 'checkout',
          variant: 'blue',
          enabled: true,
          count: 3,
          userIds: ['u2', 'u3'],
          periodStart: '2026-11-25T06:10:00Z',
        },
      ],
      errors: [{ flagName: 'checkout', errorCode: 'TYPE_MISMATCH', count: 2, periodStart: '2026-11-25T06:10:00Z' }],
      events: [
        {
          name: 'conversion',
          flagName: 'checkout',
          variant: 'blue',
          userId: 'u2',
          value: 10,
          timestamp: '2026-11-25T06:20:00Z',
        },
        {
          name: 'conversion',
          flagName: 'checkout',
          variant: 'blue',
          userId: 'u2',
          value: 20,
          timestamp: '2026-11-25T06:21:00Z',
        },
        { name: 'signup', timestamp: '2026-11-25T06:21:00Z' },
      ],
      dropped: 7,
    });
    expect(summary).toEqual({
      accepted: { evaluations: 8, errors: 2, events: 3, unattributedEvents: 1, droppedBySender: 7 },
      outcomesOverLimit: { events: 0, outcomes: [] },
    });
    await recorder.flush();
    const buckets = await store.buckets({ ...range, flagName: 'checkout' });
    const byHour = Object.fromEntries(buckets.map((bucket) => [bucket.hourStart, bucket]));
    expect(byHour['2026-11-25T05:00:00.000Z']?.evaluations).toEqual({ blue: { enabled: 5, disabled: 0 } });
    expect(byHour['2026-11-25T06:00:00.000Z']).toMatchObject({
      evaluations: { blue: { enabled: 3, disabled: 0 } },
      errors: { TYPE_MISMATCH: 2 },
      outcomes: { conversion: { blue: { count: 2, valueCount: 2, valueSum: 30, valueSquaredDeviations: 50 } } },
    });
    const [unattributed] = await store.buckets({ ...range, flagName: NO_FLAG });
    expect(unattributed).toMatchObject({ droppedBySender: 7, outcomes: { signup: { '(none)': { count: 1 } } } });
    const converters = await store.uniqueSets({
      ...range,
      flagName: 'checkout',
      dimensions: [uniqueDimension.converters('conversion', 'blue')],
    });
    expect(converters.map((record) => record.exact)).toEqual([['u2']]);
  });

  it('when the relay records its own evaluations, then they count with their users and errors', async () => {
    const recorder = new UsageRecorder(store, USAGE_DEFAULTS, () => NOW);
    recorder.recordEvaluation('production', { flagName: 'banner', variant: 'on', enabled: true }, 'u1');
    recorder.recordEvaluation('production', { flagName: 'banner', enabled: false }, 'u2');
    recorder.recordEvaluation('production', { flagName: 'banner', enabled: false, errorCode: 'FLAG_NOT_FOUND' }, 'u3');
    await recorder.stop();
    const [bucket] = await store.buckets({ ...range, flagName: 'banner' });
    expect(bucket).toMatchObject({
      hourStart: '2026-11-25T06:00:00.000Z',
      evaluations: { on: { enabled: 1, disabled: 0 }, '(none)': { enabled: 0, disabled: 1 } },
      errors: { FLAG_NOT_FOUND: 1 },
    });
    const users = await store.uniqueSets({ ...range, flagName: 'banner', dimensions: [uniqueDimension.users()] });
    expect(users[0]?.exact?.sort()).toEqual(['u1', 'u2']);
  });

  it('when more distinct users arrive than the exact limit, then the set is written as registers only', async () => {
    const recorder = new UsageRecorder(store, { ...USAGE_DEFAULTS, exactUniqueLimit: 10 }, () => NOW);
    for (let i = 0; i < 50; i++)
      recorder.recordEvaluation('production', { flagName: 'banner', variant: 'on', enabled: true }, `u${i}`);
    await recorder.flush();
    const [users] = await store.uniqueSets({ ...range, flagName: 'banner', dimensions: [uniqueDimension.users()] });
    expect(users?.exact).toBeNull();
    expect(users?.registers.length).toBeGreaterThan(40);
  });

  it('when the store fails, then flush rejects and the next flush writes everything once', async () => {
    let failures = 1;
    const flaky: UsageStore = {
      apply: (delta: UsageDelta) => (failures-- > 0 ? Promise.reject(new Error('store down')) : store.apply(delta)),
      buckets: (query) => store.buckets(query),
      uniqueSets: (query) => store.uniqueSets(query),
      lastEvaluations: () => store.lastEvaluations(),
      deleteBefore: (hourStart) => store.deleteBefore(hourStart),
    };
    const recorder = new UsageRecorder(flaky, USAGE_DEFAULTS, () => NOW);
    recorder.recordEvaluation('production', { flagName: 'banner', variant: 'on', enabled: true }, 'u1');
    await expect(recorder.flush()).rejects.toThrow('store down');
    recorder.recordEvaluation('production', { flagName: 'banner', variant: 'on', enabled: true }, 'u2');
    await recorder.flush();
    const [bucket] = await store.buckets({ ...range, flagName: 'banner' });
    expect(bucket?.evaluations).toEqual({ on: { enabled: 2, disabled: 0 } });
    expect(recorder.pendingKeys).toBe(0);
  });

  it('when a write fails after the store took it, then the retry does not count it twice', async () => {
    let failures = 1;
    const lostAnswer: UsageStore = {
      apply: async (delta: UsageDelta) => {
        await store.apply(delta);
        if (failures-- > 0) throw new Error('connection lost after the write');
      },
      buckets: (query) => store.buckets(query),
      uniqueSets: (query) => store.uniqueSets(query),
      lastEvaluations: () => store.lastEvaluations(),
      deleteBefore: (hourStart) => store.deleteBefore(hourStart),
    };
    const recorder = new UsageRecorder(lostAnswer, USAGE_DEFAULTS, () => NOW);
    recorder.recordEvaluation('production', { flagName: 'banner', variant: 'on', enabled: true }, 'u1');
    await expect(recorder.flush()).rejects.toThrow('connection lost');
    expect(recorder.pendingKeys).toBeGreaterThan(0);
    await recorder.flush();
    const [bucket] = await store.buckets({ ...range, flagName: 'banner' });
    expect(bucket?.evaluations).toEqual({ on: { enabled: 1, disabled: 0 } });
    expect(recorder.pendingKeys).toBe(0);
  });

  it('when usage is older than the retention, then it is deleted at most once an hour', async () => {
    let now = NOW;
    const recorder = new UsageRecorder(store, { ...USAGE_DEFAULTS, retentionDays: 1 }, () => now);
    recorder.ingest('production', {
      evaluations: [{ flagName: 'old', enabled: true, count: 1, periodStart: '2026-11-23T06:00:00Z' }],
    });
    await recorder.flush();
    await recorder.applyRetention();
    expect(await store.buckets({ from: '2026-11-20T00:00:00.000Z', to: range.to, flagName: 'old' })).toEqual([]);
    recorder.ingest('production', {
      evaluations: [{ flagName: 'old', enabled: true, count: 1, periodStart: '2026-11-23T06:00:00Z' }],
    });
    await recorder.flush();
    now += 60_000;
    await recorder.applyRetention();
    expect(await store.buckets({ from: '2026-11-20T00:00:00.000Z', to: range.to, flagName: 'old' })).toHaveLength(1);
  });

  it('when too much awaits a write, then ingestion refuses with a retry hint instead of growing', () => {
    const recorder = new UsageRecorder(store, { ...USAGE_DEFAULTS, maxPendingKeys: 2 }, () => NOW);
    const entry = (flagName: string) => ({ flagName, enabled: true, count: 1, periodStart: '2026-11-25T06:00:00Z' });
    recorder.ingest('production', { evaluations: [entry('a'), entry('b')] });
    expect(() => recorder.ingest('production', { evaluations: [entry('c')] })).toThrow(UsageBackpressureError);
  });

  it('when a flag-hour has the most outcome names allowed, then events of further names are left out and reported, unattributed ones too', () => {
    const recorder = new UsageRecorder(store, { ...USAGE_DEFAULTS, maxOutcomesPerFlagHour: 2 }, () => NOW);
    const event = (name: string, flagName?: string) => ({
      name,
      timestamp: '2026-11-25T06:10:00Z',
      ...(flagName ? { flagName } : {}),
    });
    const result = recorder.ingest('production', {
      events: [
        event('a', 'checkout'),
        event('b', 'checkout'),
        event('c', 'checkout'),
        event('a', 'checkout'),
        event('c', 'checkout'),
        event('x'),
        event('y'),
        event('z'),
      ],
    });
    expect(result).toEqual({
      accepted: { evaluations: 0, errors: 0, events: 5, unattributedEvents: 2, droppedBySender: 0 },
      outcomesOverLimit: { events: 3, outcomes: ['/z', 'checkout/c'] },
    });
    const nextHour = recorder.ingest('production', {
      events: [{ name: 'c', flagName: 'checkout', timestamp: '2026-11-25T07:10:00Z' }],
    });
    expect(nextHour.outcomesOverLimit.events).toBe(0);
  });

  it('when a relay restarts, then the outcome names already stored count towards the limit', async () => {
    const settings = { ...USAGE_DEFAULTS, maxOutcomesPerFlagHour: 2 };
    const event = (name: string) => ({ name, flagName: 'checkout', timestamp: '2026-11-25T06:10:00Z' });
    const before = new UsageRecorder(store, settings, () => NOW);
    before.ingest('production', { events: [event('a'), event('b')] });
    await before.stop();
    const after = new UsageRecorder(store, settings, () => NOW);
    const batch = { events: [event('c'), event('a')] };
    await after.loadOutcomeNames('production', batch);
    expect(after.ingest('production', batch).outcomesOverLimit).toEqual({ events: 1, outcomes: ['checkout/c'] });
  });

  it('when the outcome names of a bucket are read back while a write is pending, then the pending names count too', async () => {
    const settings = { ...USAGE_DEFAULTS, maxOutcomesPerFlagHour: 2 };
    const event = (name: string, flagName: string) => ({ name, flagName, timestamp: '2026-11-25T06:10:00Z' });
    const recorder = new UsageRecorder(store, settings, () => NOW);
    recorder.ingest('production', { events: [event('a', 'checkout'), event('b', 'checkout')] });
    // Forget 'checkout' (more buckets than the relay keeps in memory), then ask again before any flush.
    recorder.ingest('production', { events: Array.from({ length: 1_001 }, (_, i) => event('a', `flag-${i}`)) });
    const batch = { events: [event('c', 'checkout')] };
    await recorder.loadOutcomeNames('production', batch);
    expect(recorder.ingest('production', batch).outcomesOverLimit.outcomes).toEqual(['checkout/c']);
  });
});
