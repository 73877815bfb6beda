import { HLL_PRECISION, HLL_REGISTERS, HyperLogLog, type RegisterUpdate } from './hyperloglog.js';

/** Highest rank a register can hold (HLL_RANK_BITS + 1): one character per register on the wire. */
const MAX_RANK = 33;

/**
 * A HyperLogLog sketch on the wire (`EvaluationCount.userSketch`): `registers` has one character per
 * register, its rank in base 36 (`0`–`9`, `a`–`x`), 4,096 characters for precision 12. The relay
 * merges it like its own sketches (register-wise maximum), so senders and relay agree bit for bit.
 */
export interface UserSketch {
  precision: typeof HLL_PRECISION;
  registers: string;
}

/** The pattern a sketch's `registers` must match: exactly HLL_REGISTERS characters `0`–`x`. */
export const USER_SKETCH_REGISTERS_PATTERN = new RegExp(`^[0-9a-x]{${HLL_REGISTERS}}$`);

export function encodeUserSketch(sketch: HyperLogLog): UserSketch {
  let registers = '';
  for (const rank of sketch.registers) registers += rank.toString(36);
  return { precision: HLL_PRECISION, registers };
}

/** The registers of a sketch that matched USER_SKETCH_REGISTERS_PATTERN (validate first). */
export function decodeUserSketch(sketch: UserSketch): HyperLogLog {
  const decoded = new HyperLogLog();
  for (let index = 0; index < HLL_REGISTERS; index++) {
    decoded.registers[index] = Math.min(MAX_RANK, parseInt(sketch.registers.charAt(index), 36) || 0);
  }
  return decoded;
}

/**
 * Distinct ids, exact while there are at most `exactLimit`; past that only a HyperLogLog of all of
 * them (4 KiB), so memory stays bounded however many arrive. Providers collect the users of an
 * evaluation count with it, the relay the ids of a unique set awaiting a write.
 */
export class UniqueIds {
  private ids: Set<string> | null = new Set();
  private hll: HyperLogLog | null = null;

  constructor(private readonly exactLimit: number) {}

  /** True while every id is kept (no sketch was merged and at most `exactLimit` were added). */
  get exact(): boolean {
    return this.ids !== null;
  }

  /** The ids while exact, else null. */
  get exactIds(): ReadonlySet<string> | null {
    return this.ids;
  }

  /** The sketch once past the limit (or merged with one), else null. */
  get sketch(): HyperLogLog | null {
    return this.hll;
  }

  add(id: string): void {
    if (this.ids) {
      this.ids.add(id);
      if (this.ids.size > this.exactLimit) this.toSketch();
    } else {
      this.hll?.add(id);
    }
  }

  /** Merges a sketch of other ids: from now on only the sketch is kept. */
  addSketch(registers: HyperLogLog | Iterable<RegisterUpdate>): void {
    const sketch = this.toSketch();
    if (registers instanceof HyperLogLog) sketch.merge(registers);
    else sketch.mergeRegisters(registers);
  }

  /** What an evaluation count carries: `userIds` while exact, else `userSketch`; nothing when empty. */
  toEntryFields(): { userIds?: string[]; userSketch?: UserSketch } {
    if (this.ids) return this.ids.size > 0 ? { userIds: [...this.ids] } : {};
    return { userSketch: encodeUserSketch(this.hll as HyperLogLog) };
  }

  private toSketch(): HyperLogLog {
    if (!this.hll) {
      this.hll = new HyperLogLog();
      for (const id of this.ids ?? []) this.hll.add(id);
      this.ids = null;
    }
    return this.hll;
  }
}
