import { describe, expect, it } from 'vitest';
import { HLL_RELATIVE_STANDARD_ERROR, HyperLogLog } from '@switchyard/protocol';
import {
  emptyCounters,
  uniqueDimension,
  type UniqueSetDelta,
  type UsageBucket,
  type UsageStore,
} from '../usage/usage-store.js';

const HOUR_1 = '2026-11-24T10:00:00.000Z';
const HOUR_2 = '2026-11-24T11:00:00.000Z';
const HOUR_3 = '2026-11-24T12:00:00.000Z';

function bucket(overrides: Partial<UsageBucket> = {}): UsageBucket {
  return { flagName: 'checkout', environment: 'production', hourStart: HOUR_1, ...emptyCounters(), ...overrides };
}

function uniques(ids: string[], overrides: Partial<UniqueSetDelta> = {}): UniqueSetDelta {
  const sketch = new HyperLogLog();
  for (const id of ids) sketch.add(id);
  return {
    flagName: 'checkout',
    environment: 'production',
    hourStart: HOUR_1,
    dimension: uniqueDimension.users(),
    ids,
    overflow: false,
    registers: sketch.toUpdates(),
    ...overrides,
  };
}

function estimateOf(record: { exact: string[] | null; registers: [number, number][] }): number {
  if (record.exact) return record.exact.length;
  const sketch = new HyperLogLog();
  sketch.mergeRegisters(record.registers);
  return sketch.estimate();
}

/** The behaviour every UsageStore must have, run against the embedded and the MongoDB store. */
export function usageStoreContract(store: () => UsageStore): void {
  describe('usage', () => {
    const everything = { from: HOUR_1, to: '2026-11-25T00:00:00.000Z' };

    it('when counters are applied twice, then they add up', async () => {
      const counters = bucket({
        evaluations: { blue: { enabled: 3, disabled: 1 } },
        errors: { FLAG_NOT_FOUND: 2 },
        outcomes: { conversion: { blue: { count: 2, valueCount: 2, valueSum: 30, valueSquaredDeviations: 50 } } },
        droppedBySender: 1,
      });
      await store().apply({ counters: [counters], uniques: [], exactLimit: 100 });
      await store().apply({ counters: [counters], uniques: [], exactLimit: 100 });
      expect(await store().buckets(everything)).toEqual([
        bucket({
          evaluations: { blue: { enabled: 6, disabled: 2 } },
          errors: { FLAG_NOT_FOUND: 4 },
          outcomes: { conversion: { blue: { count: 4, valueCount: 4, valueSum: 60, valueSquaredDeviations: 100 } } },
          droppedBySender: 2,
        }),
      ]);
    });

    it('when large values arrive in several deltas, then their spread merges without losing precision', async () => {
      // 1000000001 alone, then 1000000002 and 1000000003 (mean 1000000002.5, M2 0.5): together M2 = 2, variance 1.
      const first = bucket({
        outcomes: { revenue: { blue: { count: 1, valueCount: 1, valueSum: 1000000001, valueSquaredDeviations: 0 } } },
      });
      const second = bucket({
        outcomes: { revenue: { blue: { count: 2, valueCount: 2, valueSum: 2000000005, valueSquaredDeviations: 0.5 } } },
      });
      await store().apply({ counters: [first], uniques: [], exactLimit: 100 });
      await store().apply({ counters: [second], uniques: [], exactLimit: 100 });
      const [stored] = await store().buckets(everything);
      expect(stored?.outcomes).toEqual({
        revenue: { blue: { count: 3, valueCount: 3, valueSum: 3000000006, valueSquaredDeviations: 2 } },
      });
    });

    it('when counts pass 2^31, then they still add up exactly', async () => {
      const large = bucket({
        evaluations: { on: { enabled: 2_000_000_000, disabled: 0 } },
        droppedBySender: 2_000_000_000,
      });
      await store().apply({ counters: [large], uniques: [], exactLimit: 100 });
      await store().apply({ counters: [structuredClone(large)], uniques: [], exactLimit: 100 });
      expect(await store().buckets(everything)).toEqual([
        bucket({ evaluations: { on: { enabled: 4_000_000_000, disabled: 0 } }, droppedBySender: 4_000_000_000 }),
      ]);
    });

    it('when the same delta is applied again (a retry), then nothing is counted twice', async () => {
      const delta = {
        counters: [
          bucket({ evaluations: { on: { enabled: 2, disabled: 0 } } }),
          bucket({ hourStart: HOUR_2, errors: { GENERAL: 1 } }),
        ],
        uniques: [uniques(['a'])],
        exactLimit: 100,
      };
      await store().apply(delta);
      await store().apply(delta);
      await store().apply(structuredClone(delta));
      const found = await store().buckets(everything);
      expect(found.find((b) => b.hourStart === HOUR_1)?.evaluations).toEqual({ on: { enabled: 4, disabled: 0 } });
      expect(found.find((b) => b.hourStart === HOUR_2)?.errors).toEqual({ GENERAL: 2 });
    });

    it('when names contain dots, dollars and spaces, then they read back unchanged', async () => {
      const odd = bucket({
        evaluations: { 'v.1 $x': { enabled: 1, disabled: 0 } },
        outcomes: {
          '$purchase.done': { '(none)': { count: 1, valueCount: 0, valueSum: 0, valueSquaredDeviations: 0 } },
        },
      });
      await store().apply({ counters: [odd], uniques: [], exactLimit: 100 });
      expect(await store().buckets(everything)).toEqual([odd]);
    });

    it('when queried by range, flag and environment, then only matching buckets return', async () => {
      const one = { enabled: 1, disabled: 0 };
      await store().apply({
        counters: [
          bucket({ evaluations: { on: one } }),
          bucket({ hourStart: HOUR_2, evaluations: { on: one } }),
          bucket({ hourStart: HOUR_3, evaluations: { on: one } }),
          bucket({ flagName: 'other', evaluations: { on: one } }),
          bucket({ environment: 'staging', evaluations: { on: one } }),
        ],
        uniques: [],
        exactLimit: 100,
      });
      const found = await store().buckets({
        from: HOUR_2,
        to: HOUR_3,
        flagName: 'checkout',
        environment: 'production',
      });
      expect(found.map((b) => b.hourStart)).toEqual([HOUR_2]);
      const allEnvironments = await store().buckets({ from: HOUR_1, to: HOUR_2, flagName: 'checkout' });
      expect(allEnvironments.map((b) => b.environment).sort()).toEqual(['production', 'staging']);
    });

    it('when ids arrive in several deltas, then the set is their exact union', async () => {
      await store().apply({ counters: [], uniques: [uniques(['a', 'b'])], exactLimit: 100 });
      await store().apply({ counters: [], uniques: [uniques(['b', 'c'])], exactLimit: 100 });
      const [record] = await store().uniqueSets({ ...everything, flagName: 'checkout' });
      expect(record?.exact?.sort()).toEqual(['a', 'b', 'c']);
      expect(record?.dimension).toBe('users');
    });

    it('when a set grows past the exact limit, then it keeps registers that estimate its size', async () => {
      const ids = Array.from({ length: 300 }, (_, i) => `user-${i}`);
      await store().apply({ counters: [], uniques: [uniques(ids.slice(0, 40))], exactLimit: 50 });
      await store().apply({ counters: [], uniques: [uniques(ids.slice(40))], exactLimit: 50 });
      const [record] = await store().uniqueSets({ ...everything, flagName: 'checkout' });
      expect(record?.exact).toBeNull();
      expect(Math.abs(estimateOf(record!) - 300) / 300).toBeLessThan(3 * HLL_RELATIVE_STANDARD_ERROR);
    });

    it('when a delta says it overflowed, then the set keeps registers only', async () => {
      await store().apply({ counters: [], uniques: [uniques(['a'])], exactLimit: 100 });
      const big = Array.from({ length: 500 }, (_, i) => `u${i}`);
      await store().apply({ counters: [], uniques: [{ ...uniques(big), ids: [], overflow: true }], exactLimit: 100 });
      const [record] = await store().uniqueSets({ ...everything, flagName: 'checkout' });
      expect(record?.exact).toBeNull();
      expect(Math.abs(estimateOf(record!) - 501) / 501).toBeLessThan(3 * HLL_RELATIVE_STANDARD_ERROR);
    });

    it('when asked for some dimensions, then only those sets return', async () => {
      const variant = uniqueDimension.variantUsers('blue/green');
      await store().apply({
        counters: [],
        uniques: [uniques(['a']), uniques(['b'], { dimension: variant })],
        exactLimit: 100,
      });
      const found = await store().uniqueSets({ ...everything, flagName: 'checkout', dimensions: [variant] });
      expect(found.map((record) => [record.dimension, record.exact])).toEqual([[variant, ['b']]]);
    });

    it('when usage before an hour is deleted, then its buckets and sets go and last evaluations stay', async () => {
      const one = { enabled: 1, disabled: 0 };
      await store().apply({
        counters: [bucket({ evaluations: { on: one } }), bucket({ hourStart: HOUR_2, evaluations: { on: one } })],
        uniques: [uniques(['a']), uniques(['b'], { hourStart: HOUR_2 })],
        exactLimit: 100,
      });
      await store().deleteBefore(HOUR_2);
      expect((await store().buckets(everything)).map((b) => b.hourStart)).toEqual([HOUR_2]);
      expect((await store().uniqueSets({ ...everything, flagName: 'checkout' })).map((u) => u.exact)).toEqual([['b']]);
      expect((await store().lastEvaluations())[0]?.hourStart).toBe(HOUR_2);
    });

    it('when evaluations land in several hours, then lastEvaluations names the latest, per variant served enabled and for disabled', async () => {
      const one = { enabled: 1, disabled: 0 };
      await store().apply({
        counters: [bucket({ hourStart: HOUR_2, evaluations: { on: one } })],
        uniques: [],
        exactLimit: 100,
      });
      await store().apply({
        counters: [bucket({ hourStart: HOUR_1, evaluations: { on: one } })],
        uniques: [],
        exactLimit: 100,
      });
      const outcomesOnly = bucket({
        hourStart: HOUR_3,
        outcomes: { conversion: { on: { count: 1, valueCount: 0, valueSum: 0, valueSquaredDeviations: 0 } } },
      });
      await store().apply({ counters: [outcomesOnly], uniques: [], exactLimit: 100 });
      await store().apply({
        counters: [bucket({ hourStart: HOUR_1, evaluations: { off: { enabled: 0, disabled: 2 } } })],
        uniques: [],
        exactLimit: 100,
      });
      expect(await store().lastEvaluations()).toEqual([
        {
          flagName: 'checkout',
          environment: 'production',
          hourStart: HOUR_2,
          lastEnabled: { on: HOUR_2 },
          lastDisabled: HOUR_1,
        },
      ]);
    });
  });
}
