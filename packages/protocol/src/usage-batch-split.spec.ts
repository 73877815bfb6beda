import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonBytes, splitUsageBatch, usageBatchEntries } from './usage-batch-split.js';
import type { UsageBatch } from './usage-payloads.js';
import { UniqueIds } from './unique-ids.js';

const AT = '2026-11-25T10:00:00.000Z';

describe('jsonBytes', () => {
  it('counts UTF-8 bytes of the JSON text, as the relay does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'grapheme' }), (value, text) => {
        expect(jsonBytes(value)).toBe(Buffer.byteLength(JSON.stringify(value)));
        expect(jsonBytes({ text })).toBe(Buffer.byteLength(JSON.stringify({ text })));
      }),
    );
    expect(jsonBytes({ note: 'é'.repeat(3000) })).toBe(6000 + '{"note":""}'.length);
  });
});

describe('splitUsageBatch', () => {
  const events = (count: number, note: string) =>
    Array.from({ length: count }, (_, i) => ({ name: `e${i}`, metadata: { note }, timestamp: AT }));

  it('when a batch is over the byte bound, then every part is within it, entries stay in order, and dropped goes first', () => {
    const batch: UsageBatch = { environment: 'production', events: events(300, 'x'.repeat(4000)), dropped: 7 };
    const parts = splitUsageBatch(batch, { maxBatchBytes: 60_000, maxBatchEntries: 10_000 });
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(jsonBytes(part)).toBeLessThanOrEqual(60_000);
    expect(parts.flatMap((part) => part.events!.map((event) => event.name))).toEqual(
      batch.events!.map((event) => event.name),
    );
    expect(parts.map((part) => part.dropped)).toEqual([7, ...Array(parts.length - 1).fill(0)]);
    expect(parts.every((part) => part.environment === 'production')).toBe(true);
  });

  it('when a batch has more entries than the entry bound, then it is cut by entries', () => {
    const batch: UsageBatch = {
      events: events(5, ''),
      errors: [{ flagName: 'f', errorCode: 'GENERAL', count: 1, periodStart: AT }],
    };
    expect(splitUsageBatch(batch, { maxBatchBytes: 1_000_000, maxBatchEntries: 4 }).map(usageBatchEntries)).toEqual([
      4, 2,
    ]);
  });

  it('when a count splitter is given, then counts go through it', () => {
    const batch: UsageBatch = {
      evaluations: [{ flagName: 'f', enabled: true, count: 2, userIds: ['a', 'b'], periodStart: AT }],
    };
    const parts = splitUsageBatch(batch, { maxBatchBytes: 1_000_000, maxBatchEntries: 1 }, (entry) =>
      entry.userIds!.map((id) => ({ ...entry, count: 1, userIds: [id] })),
    );
    expect(parts.map((part) => part.evaluations![0]!.userIds)).toEqual([['a'], ['b']]);
  });
});

describe('splitUsageBatch with sketches', () => {
  it('when more counts carry a user sketch than maxBatchSketches, then each part carries at most that many', () => {
    const sketch = new UniqueIds(0);
    sketch.add('someone');
    const counts = Array.from({ length: 5 }, (_, i) => ({
      flagName: `f${i}`,
      enabled: true,
      count: 2,
      ...sketch.toEntryFields(),
      periodStart: AT,
    }));
    const plain = { flagName: 'plain', enabled: true, count: 1, periodStart: AT };
    const parts = splitUsageBatch(
      { evaluations: [...counts, plain] },
      { maxBatchBytes: 1_000_000, maxBatchEntries: 100, maxBatchSketches: 2 },
    );
    expect(parts.map((part) => part.evaluations!.map((entry) => entry.flagName))).toEqual([
      ['f0', 'f1'],
      ['f2', 'f3'],
      ['f4', 'plain'],
    ]);
  });
});
