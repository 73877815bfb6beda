import { describe, expect, it } from 'vitest';
import { WRITTEN_REGISTERS_CAPACITY, WrittenRegisters } from './usage-written-registers.js';

describe('WrittenRegisters', () => {
  it('when registers were written, then only higher ranks are sent again', () => {
    const written = new WrittenRegisters();
    expect(written.rising('a', [[1, 3], [2, 5]])).toEqual([[1, 3], [2, 5]]);
    written.written('a', [[1, 3], [2, 5]]);
    expect(written.rising('a', [[1, 3], [2, 6], [3, 1]])).toEqual([[2, 6], [3, 1]]);
    expect(written.rising('b', [[1, 3]])).toEqual([[1, 3]]);
  });

  it('when more sets are remembered than the capacity, then it forgets and sends registers whole', () => {
    const written = new WrittenRegisters();
    for (let i = 0; i <= WRITTEN_REGISTERS_CAPACITY; i++) written.written(`set-${i}`, [[0, 1]]);
    expect(written.rising('set-0', [[0, 1]])).toEqual([[0, 1]]);
  });
});
