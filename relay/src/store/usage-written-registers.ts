import { HLL_REGISTERS, type RegisterUpdate } from '../features/usage/hyperloglog.js';

/** Sets remembered at most; past this the memory is dropped (4 KiB each) and registers are sent whole again. */
export const WRITTEN_REGISTERS_CAPACITY = 4_096;

/**
 * The HyperLogLog registers a single-writer store instance has already written per unique-set
 * document, so a flush sends only registers that rose. Once a set is large its registers rarely
 * rise, and the `$max` update shrinks from thousands of fields to a few. Forgetting is always
 * safe: `$max` with a register already stored changes nothing.
 */
export class WrittenRegisters {
  private readonly known = new Map<string, Uint8Array>();

  /** The updates that would raise what was written for `id`. */
  rising(id: string, updates: RegisterUpdate[]): RegisterUpdate[] {
    const known = this.known.get(id);
    if (!known) return updates;
    return updates.filter(([index, rank]) => rank > (known[index] ?? 0));
  }

  /** Records updates the store acknowledged. */
  written(id: string, updates: RegisterUpdate[]): void {
    let known = this.known.get(id);
    if (!known) {
      if (this.known.size >= WRITTEN_REGISTERS_CAPACITY) this.known.clear();
      known = new Uint8Array(HLL_REGISTERS);
      this.known.set(id, known);
    }
    for (const [index, rank] of updates) if (rank > (known[index] ?? 0)) known[index] = rank;
  }
}
