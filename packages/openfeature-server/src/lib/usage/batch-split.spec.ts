import type { UsageBatch } from '@switchyard/protocol';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROVIDER_OPTIONS } from '../provider-options.js';
import { usageBatchEntries } from '@switchyard/protocol';
import { halveBatch, splitBatch } from './batch-split.js';

/** The relay's default SWITCHYARD_USAGE_MAX_BODY_BYTES. */
const RELAY_MAX_BODY_BYTES = 1024 * 1024;
const periodStart = '2026-11-25T08:00:00.000Z';
const timestamp = periodStart;
const bodyBytes = (batch: UsageBatch) => Buffer.byteLength(JSON.stringify(batch));
const ids = (count: number, prefix = 'user') =>
  Array.from({ length: count }, (_, i) => `${prefix}-${i}-0f8fad5b-d9cb-469f-a165-70867728950e`);

describe('splitBatch', () => {
  it('when 500 conversions carry 2500-byte metadata, then the default bound makes bodies below the relay limit, entries in order', () => {
    const batch: UsageBatch = {
      environment: 'production',
      evaluations: [{ flagName: 'new-checkout', enabled: true, count: 500, userIds: ids(500), periodStart }],
      errors: [],
      events: Array.from({ length: 500 }, (_, i) => ({
        name: 'conversion',
        userId: `u${i}`,
        flagName: 'new-checkout',
        metadata: { note: 'x'.repeat(2500) },
        timestamp,
      })),
      dropped: 3,
    };
    expect(bodyBytes(batch)).toBeGreaterThan(RELAY_MAX_BODY_BYTES);
    const parts = splitBatch(batch, DEFAULT_PROVIDER_OPTIONS.usage);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(bodyBytes(part)).toBeLessThanOrEqual(DEFAULT_PROVIDER_OPTIONS.usage.maxBatchBytes);
    expect(parts.flatMap((part) => part.events ?? [])).toEqual(batch.events);
    expect(parts.flatMap((part) => part.evaluations ?? [])).toEqual(batch.evaluations);
    expect(parts.map((part) => part.dropped)).toEqual([3, ...parts.slice(1).map(() => 0)]);
    expect(parts.every((part) => part.environment === 'production')).toBe(true);
  });

  it('when 30 flags each count 1000 distinct users, then every body stays within maxBatchBytes', () => {
    const batch: UsageBatch = {
      evaluations: Array.from({ length: 30 }, (_, i) => ({
        flagName: `flag-${i}`,
        enabled: true,
        count: 5000,
        userIds: ids(1000),
        periodStart,
      })),
    };
    expect(bodyBytes(batch)).toBeGreaterThan(RELAY_MAX_BODY_BYTES);
    const parts = splitBatch(batch, DEFAULT_PROVIDER_OPTIONS.usage);
    for (const part of parts) expect(bodyBytes(part)).toBeLessThanOrEqual(DEFAULT_PROVIDER_OPTIONS.usage.maxBatchBytes);
    expect(parts.flatMap((part) => part.evaluations ?? [])).toEqual(batch.evaluations);
  });

  it('when one count holds more user id bytes than the bound, then it is cut by user ids, the total kept and no piece naming more users than it counts', () => {
    const userIds = ids(1000, 'é'.repeat(150));
    const batch: UsageBatch = {
      evaluations: [{ flagName: 'a', variant: 'on', enabled: true, count: 1234, userIds, periodStart }],
    };
    const parts = splitBatch(batch, { maxBatchBytes: 100_000, maxBatchEntries: 10_000 });
    const pieces = parts.flatMap((part) => part.evaluations ?? []);
    expect(pieces.length).toBeGreaterThan(1);
    for (const part of parts) expect(bodyBytes(part)).toBeLessThanOrEqual(100_000);
    expect(pieces.reduce((sum, piece) => sum + piece.count, 0)).toBe(1234);
    expect(pieces.every((piece) => piece.count >= (piece.userIds?.length ?? 0))).toBe(true);
    expect(pieces.flatMap((piece) => piece.userIds ?? [])).toEqual(userIds);
    expect(pieces.every((piece) => piece.flagName === 'a' && piece.variant === 'on' && piece.enabled)).toBe(true);
  });

  it('when more entries wait than maxBatchEntries, then each batch holds at most that many', () => {
    const batch: UsageBatch = {
      evaluations: [{ flagName: 'a', enabled: true, count: 1, periodStart }],
      errors: [{ flagName: 'b', errorCode: 'FLAG_NOT_FOUND', count: 1, periodStart }],
      events: [
        { name: 'e1', timestamp },
        { name: 'e2', timestamp },
      ],
    };
    expect(splitBatch(batch, { maxBatchBytes: 1_000_000, maxBatchEntries: 3 }).map(usageBatchEntries)).toEqual([3, 1]);
  });
});

describe('halveBatch', () => {
  it('when a batch has several entries, then it is cut in two halves by entries', () => {
    const batch: UsageBatch = { events: ['e1', 'e2', 'e3'].map((name) => ({ name, timestamp })), dropped: 2 };
    const halves = halveBatch(batch);
    expect(halves?.map((half) => half.events?.map((event) => event.name))).toEqual([['e1', 'e2'], ['e3']]);
    expect(halves?.map((half) => half.dropped)).toEqual([2, 0]);
  });

  it('when the only entry is a count with several user ids, then its user ids are halved; a lone event cannot be cut', () => {
    const halves = halveBatch({
      evaluations: [{ flagName: 'a', enabled: true, count: 17, userIds: ids(10), periodStart }],
    });
    expect(halves?.length).toBeGreaterThanOrEqual(2);
    expect(halves?.flatMap((half) => half.evaluations?.[0]?.userIds ?? [])).toEqual(ids(10));
    expect(halves?.reduce((sum, half) => sum + (half.evaluations?.[0]?.count ?? 0), 0)).toBe(17);
    expect(halves?.every((half) => half.evaluations![0]!.count >= half.evaluations![0]!.userIds!.length)).toBe(true);
    expect(halveBatch({ events: [{ name: 'big', timestamp }] })).toBeUndefined();
  });
});
