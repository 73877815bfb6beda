import { murmur3 } from '@switchyard/core';

/**
 * HyperLogLog (Flajolet et al. 2007) with 2^12 registers and Ertl's corrected estimator
 * ("New cardinality estimation algorithms for HyperLogLog sketches", 2017, Algorithm 6), which
 * needs no empirical bias tables and is unbiased from 1 element upwards.
 *
 * Relative standard error 1.04 / sqrt(4096) ≈ 1.6%. Registers merge by maximum, so sketches of
 * hours and environments combine into the sketch of their union. The precision is part of the
 * stored format: changing it makes stored registers unreadable.
 */
export const HLL_PRECISION = 12;
export const HLL_REGISTERS = 1 << HLL_PRECISION;
/** Rank bits beyond the index: ranks run 1..HLL_RANK_BITS + 1. */
const HLL_RANK_BITS = 32;
export const HLL_RELATIVE_STANDARD_ERROR = 1.04 / Math.sqrt(HLL_REGISTERS);

/** Register index and rank (position of the first 1-bit, from 1) of a user id. */
export interface HashedId {
  index: number;
  rank: number;
}

/** Two MurmurHash3 (core's, over UTF-8) with different seeds: 12 bits pick the register, 32 give the rank. */
export function hashId(id: string): HashedId {
  const high = murmur3(id, 0x9747b28c);
  const low = murmur3(id, 0x5bd1e995);
  return { index: high >>> (32 - HLL_PRECISION), rank: Math.clz32(low) + 1 };
}

/** A register that was raised: [index, rank]. */
export type RegisterUpdate = [number, number];

export class HyperLogLog {
  readonly registers = new Uint8Array(HLL_REGISTERS);

  add(id: string): void {
    const { index, rank } = hashId(id);
    if (rank > (this.registers[index] as number)) this.registers[index] = rank;
  }

  /** Raises registers to the given ranks (merging a stored or sparse sketch). */
  mergeRegisters(updates: Iterable<RegisterUpdate>): void {
    for (const [index, rank] of updates) {
      if (index >= 0 && index < HLL_REGISTERS && rank > (this.registers[index] as number)) this.registers[index] = rank;
    }
  }

  merge(other: HyperLogLog): void {
    for (let index = 0; index < HLL_REGISTERS; index++) {
      const rank = other.registers[index] as number;
      if (rank > (this.registers[index] as number)) this.registers[index] = rank;
    }
  }

  /** The non-zero registers: what a store keeps and merges with `max`. */
  toUpdates(): RegisterUpdate[] {
    const updates: RegisterUpdate[] = [];
    this.registers.forEach((rank, index) => {
      if (rank > 0) updates.push([index, rank]);
    });
    return updates;
  }

  estimate(): number {
    const histogram = new Array<number>(HLL_RANK_BITS + 2).fill(0);
    for (const rank of this.registers) histogram[rank] = (histogram[rank] as number) + 1;
    const m = HLL_REGISTERS;
    let denominator = m * tau(1 - (histogram[HLL_RANK_BITS + 1] as number) / m);
    for (let k = HLL_RANK_BITS; k >= 1; k--) denominator = 0.5 * (denominator + (histogram[k] as number));
    denominator += m * sigma((histogram[0] as number) / m);
    return Math.round((m * m) / (2 * Math.LN2 * denominator));
  }
}

function sigma(x: number): number {
  if (x === 1) return Number.POSITIVE_INFINITY;
  let power = x;
  let weight = 1;
  let sum = x;
  for (;;) {
    power *= power;
    const previous = sum;
    sum += power * weight;
    weight += weight;
    if (sum === previous) return sum;
  }
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let root = x;
  let weight = 1;
  let sum = 1 - x;
  for (;;) {
    root = Math.sqrt(root);
    const previous = sum;
    weight *= 0.5;
    sum -= (1 - root) * (1 - root) * weight;
    if (sum === previous) return sum / 3;
  }
}
