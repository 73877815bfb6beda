import { describe, expect, it } from 'vitest';
import { HLL_REGISTERS, HLL_RELATIVE_STANDARD_ERROR, HyperLogLog } from './hyperloglog.js';
import { decodeUserSketch, encodeUserSketch, UniqueIds, USER_SKETCH_REGISTERS_PATTERN } from './unique-ids.js';

describe('UniqueIds', () => {
  it('when at most the exact limit of ids arrive, then all are kept and sent as userIds', () => {
    const ids = new UniqueIds(3);
    for (const id of ['a', 'b', 'a', 'c']) ids.add(id);
    expect(ids.exact).toBe(true);
    expect(ids.toEntryFields()).toEqual({ userIds: ['a', 'b', 'c'] });
    expect(new UniqueIds(3).toEntryFields()).toEqual({});
  });

  it('when more than the exact limit arrive, then a sketch of all of them is sent instead of cutting any', () => {
    const ids = new UniqueIds(1_000);
    for (let i = 0; i < 20_000; i++) ids.add(`user-${i}`);
    expect(ids.exact).toBe(false);
    const fields = ids.toEntryFields();
    expect(fields.userIds).toBeUndefined();
    const estimate = decodeUserSketch(fields.userSketch!).estimate();
    expect(Math.abs(estimate - 20_000) / 20_000).toBeLessThan(3 * HLL_RELATIVE_STANDARD_ERROR);
  });

  it('when a sketch is merged, then the set is a sketch of the union', () => {
    const ids = new UniqueIds(10_000);
    for (let i = 0; i < 3_000; i++) ids.add(`user-${i}`);
    const other = new HyperLogLog();
    for (let i = 2_000; i < 6_000; i++) other.add(`user-${i}`);
    ids.addSketch(other.toUpdates());
    expect(ids.exact).toBe(false);
    expect(Math.abs(ids.sketch!.estimate() - 6_000) / 6_000).toBeLessThan(3 * HLL_RELATIVE_STANDARD_ERROR);
  });
});

describe('user sketch encoding', () => {
  it('when a sketch is encoded and decoded, then every register is the same (one base-36 character each)', () => {
    const sketch = new HyperLogLog();
    for (let i = 0; i < 50_000; i++) sketch.add(`id-${i}`);
    sketch.registers[7] = 33;
    const encoded = encodeUserSketch(sketch);
    expect(encoded.precision).toBe(12);
    expect(encoded.registers).toHaveLength(HLL_REGISTERS);
    expect(encoded.registers).toMatch(USER_SKETCH_REGISTERS_PATTERN);
    expect(encoded.registers[7]).toBe('x');
    expect([...decodeUserSketch(encoded).registers]).toEqual([...sketch.registers]);
  });

  it('the pattern refuses wrong lengths and ranks above 33', () => {
    expect('0'.repeat(HLL_REGISTERS - 1)).not.toMatch(USER_SKETCH_REGISTERS_PATTERN);
    expect('y' + '0'.repeat(HLL_REGISTERS - 1)).not.toMatch(USER_SKETCH_REGISTERS_PATTERN);
    expect('0'.repeat(HLL_REGISTERS)).toMatch(USER_SKETCH_REGISTERS_PATTERN);
  });
});
