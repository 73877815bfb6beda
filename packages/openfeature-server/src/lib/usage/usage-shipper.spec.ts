import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PROVIDER_OPTIONS, type UsageOptions } from '../provider-options.js';
import { SwitchyardHttpError } from '@switchyard/protocol';
import { FakeTransport } from '../../testing/fake-transport.js';
import { UsageRecorder } from './usage-recorder.js';
import { UsageShipper } from './usage-shipper.js';

const OPTIONS: UsageOptions = {
  ...DEFAULT_PROVIDER_OPTIONS.usage,
  flushIntervalMs: 1_000,
  flushAtEvents: 3,
  maxPendingBatches: 2,
  maxSendAttempts: 3,
  retryBackoff: { initialDelayMs: 100, maxDelayMs: 100 },
};
const silent = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

function setup(options: Partial<UsageOptions> = {}) {
  const transport = new FakeTransport();
  const recorder = new UsageRecorder({ ...OPTIONS, ...options });
  const shipper = new UsageShipper(
    recorder,
    (batch) => transport.sendUsage(batch),
    { ...OPTIONS, ...options },
    () => 'production',
    () => silent,
  );
  return { transport, recorder, shipper };
}
const event = { name: 'conversion', timestamp: '2026-01-01T00:00:00.000Z' };

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('UsageShipper', () => {
  it('when flushIntervalMs passes, then what was recorded is shipped as one batch', async () => {
    const { transport, recorder, shipper } = setup();
    shipper.start();
    recorder.recordEvaluation('a', undefined, true, 'u1');
    recorder.recordEvaluation('a', undefined, true, 'u2');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(transport.batches).toHaveLength(1);
    expect(transport.batches[0]?.evaluations?.[0]?.count).toBe(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(transport.batches).toHaveLength(1);
    await shipper.close(100);
  });

  it('when flushAtEvents events wait, then they are shipped without waiting for the interval', async () => {
    const { transport, recorder, shipper } = setup();
    shipper.start();
    for (let i = 0; i < 3; i++) {
      recorder.recordEvent(event);
      shipper.eventRecorded();
    }
    await vi.advanceTimersByTimeAsync(0);
    expect(transport.batches[0]?.events).toHaveLength(3);
    await shipper.close(100);
  });

  it('when sending fails with a retriable error, then the same batch is retried after the backoff', async () => {
    const { transport, recorder, shipper } = setup();
    transport.usageFailures.push(new SwitchyardHttpError(503, 'unavailable'));
    recorder.recordEvent(event);
    await shipper.flush();
    expect(transport.batches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(transport.batches).toHaveLength(1);
    expect(transport.batches[0]?.dropped).toBe(0);
    await shipper.close(100);
  });

  it('when a batch fails maxSendAttempts times, then it is dropped and the loss is reported in the next batch', async () => {
    const { transport, recorder, shipper } = setup();
    transport.usageFailures.push(...[1, 2, 3].map(() => new SwitchyardHttpError(503, 'unavailable')));
    recorder.recordEvaluation('a', undefined, true, undefined);
    recorder.recordEvaluation('a', undefined, true, undefined);
    await shipper.flush();
    await vi.advanceTimersByTimeAsync(300);
    expect(transport.batches).toHaveLength(0);
    recorder.recordEvent(event);
    await shipper.flush();
    expect(transport.batches).toEqual([expect.objectContaining({ dropped: 2, events: [event] })]);
    await shipper.close(100);
  });

  it('when the relay refuses a batch (4xx), then it is not retried', async () => {
    const { transport, recorder, shipper } = setup();
    transport.usageFailures.push(new SwitchyardHttpError(400, 'bad batch'));
    recorder.recordEvent(event);
    await shipper.flush();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(transport.usageFailures).toHaveLength(0);
    expect(transport.batches).toEqual([]);
    await shipper.flush();
    expect(transport.batches).toEqual([expect.objectContaining({ dropped: 1, events: [] })]);
    await shipper.close(100);
  });

  it('when more batches wait than maxPendingBatches, then the oldest is dropped and counted', async () => {
    const { transport, recorder, shipper } = setup({ maxSendAttempts: 100 });
    transport.usageFailures.push(...Array.from({ length: 3 }, () => new SwitchyardHttpError(503, 'unavailable')));
    for (const name of ['first', 'second', 'third']) {
      recorder.recordEvent({ ...event, name });
      await shipper.flush();
    }
    await vi.advanceTimersByTimeAsync(1_000);
    await shipper.flush();
    const names = transport.batches.flatMap((batch) => batch.events?.map((e) => e.name) ?? []);
    expect(names).toEqual(['second', 'third']);
    expect(transport.batches.reduce((sum, batch) => sum + (batch.dropped ?? 0), 0)).toBe(1);
    await shipper.close(100);
  });

  it('when closed, then what was recorded is shipped before close resolves', async () => {
    const { transport, recorder, shipper } = setup();
    shipper.start();
    recorder.recordEvent(event);
    await shipper.close(1_000);
    expect(transport.batches).toHaveLength(1);
  });
});

describe('UsageShipper restarted', () => {
  it('when started again after close, then it ships on the interval again', async () => {
    const { transport, recorder, shipper } = setup();
    shipper.start();
    await shipper.close(100);
    shipper.start();
    recorder.recordEvent(event);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(transport.batches).toHaveLength(1);
    await shipper.close(100);
  });
});

describe('UsageShipper batch size', () => {
  const bigEvent = (i: number) => ({
    ...event,
    userId: `u${i}`,
    flagName: 'new-checkout',
    metadata: { note: 'x'.repeat(2500) },
  });

  it('when 500 conversions with 2500-byte metadata wait, then with the default bound they all reach a relay limited to 1 MiB', async () => {
    const { transport, recorder, shipper } = setup({
      maxBatchBytes: DEFAULT_PROVIDER_OPTIONS.usage.maxBatchBytes,
      maxPendingBatches: 20,
    });
    transport.usageMaxBodyBytes = 1024 * 1024;
    for (let i = 0; i < 500; i++) {
      recorder.recordEvaluation('new-checkout', undefined, true, `u${i}`);
      recorder.recordEvent(bigEvent(i));
    }
    await shipper.flush();
    expect(transport.batches.length).toBeGreaterThan(1);
    expect(transport.batches.flatMap((batch) => batch.events ?? [])).toHaveLength(500);
    expect(transport.batches.reduce((sum, batch) => sum + (batch.dropped ?? 0), 0)).toBe(0);
    await shipper.close(100);
  });

  it('when the relay still answers 413 (its limit below maxBatchBytes), then the batch is halved and delivered, not dropped', async () => {
    const warnings: string[] = [];
    const transport = new FakeTransport();
    transport.usageMaxBodyBytes = 100_000;
    const options = { ...OPTIONS, maxBatchBytes: 10 * 1024 * 1024 };
    const recorder = new UsageRecorder(options);
    const logger = { ...silent, warn: (message: string) => void warnings.push(message) };
    const shipper = new UsageShipper(
      recorder,
      (batch) => transport.sendUsage(batch),
      options,
      () => 'production',
      () => logger,
    );
    for (let i = 0; i < 200; i++) recorder.recordEvent(bigEvent(i));
    await shipper.flush();
    expect(transport.batches.flatMap((batch) => batch.events?.map((e) => e.userId) ?? [])).toEqual(
      Array.from({ length: 200 }, (_, i) => `u${i}`),
    );
    expect(transport.batches.reduce((sum, batch) => sum + (batch.dropped ?? 0), 0)).toBe(0);
    expect(warnings.filter((message) => message.includes('413'))).toHaveLength(1);
    await shipper.close(100);
  });

  it('when a single entry is over the relay limit, then only it is dropped and counted', async () => {
    const { transport, recorder, shipper } = setup();
    transport.usageMaxBodyBytes = 2_000;
    recorder.recordEvent(bigEvent(1));
    recorder.recordEvent({ ...event, name: 'small' });
    await shipper.flush();
    await shipper.flush();
    expect(transport.batches.flatMap((batch) => batch.events?.map((e) => e.name) ?? [])).toEqual(['small']);
    expect(transport.batches.reduce((sum, batch) => sum + (batch.dropped ?? 0), 0)).toBe(1);
    await shipper.close(100);
  });
});
