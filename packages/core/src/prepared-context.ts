import { aliasOrAbsent, bucketKeyOf } from './context-attribute.js';
import type { EvaluationContext } from './model.js';

/**
 * Attribute names are interned as small integers ("slots") when flags are compiled, so reading a
 * context goes through arrays indexed by slot instead of property lookups by name, and one
 * evaluation (of one flag, or of every flag of a bulk evaluation) reads each attribute once.
 * The table only grows: it holds the names that rules of compiled flags have used.
 */
const slotByName = new Map<string, number>();
const slotNames: string[] = [];

export function attributeSlot(name: string): number {
  let slot = slotByName.get(name);
  if (slot === undefined) {
    slot = slotNames.length;
    slotNames.push(name);
    slotByName.set(name, slot);
  }
  return slot;
}

let conditionCount = 0;

/** A new id for a compiled condition, whose outcome an evaluation keeps under it. */
export function conditionId(): number {
  return conditionCount++;
}

export function slotName(slot: number): string {
  return slotNames[slot]!;
}

/**
 * readAttribute(context, slotName(slot)), with the property read made at one of 16 places chosen
 * by the slot. A JavaScript engine keeps what it learnt about a property read per place in the
 * code: one place reading every attribute name sees many names and falls back to a generic
 * lookup (V8's "megamorphic" keyed load), where a place that only ever sees one name (true here
 * while the flags use at most 16 attribute names) is as fast as writing `context.country`.
 */
function readSlot(context: EvaluationContext, slot: number): unknown {
  const name = slotNames[slot]!;
  let value: unknown;
  switch (slot & 15) {
    case 0:
      value = context[name];
      break;
    case 1:
      value = context[name];
      break;
    case 2:
      value = context[name];
      break;
    case 3:
      value = context[name];
      break;
    case 4:
      value = context[name];
      break;
    case 5:
      value = context[name];
      break;
    case 6:
      value = context[name];
      break;
    case 7:
      value = context[name];
      break;
    case 8:
      value = context[name];
      break;
    case 9:
      value = context[name];
      break;
    case 10:
      value = context[name];
      break;
    case 11:
      value = context[name];
      break;
    case 12:
      value = context[name];
      break;
    case 13:
      value = context[name];
      break;
    case 14:
      value = context[name];
      break;
    default:
      value = context[name];
  }
  return value !== undefined && value !== null ? value : aliasOrAbsent(context, name, value);
}

/** The slot of `targetingKey`, which user lists always read. */
export const TARGETING_KEY_SLOT = attributeSlot('targetingKey');

/**
 * One context as it is being evaluated: each attribute (and bucketing key) is read from the
 * context on first use and kept for the rest of the evaluation. A generation number marks what
 * was read for the current context, so starting the next one clears nothing.
 */
export class PreparedContext {
  private context: EvaluationContext = {};
  /**
   * False for one flag's evaluation: each attribute is read where used (as often as once), nothing
   * is kept. True for a bulk evaluation, which also hashes its bucketing keys for many flags.
   */
  remembers = true;
  /**
   * One flag's evaluation on the same context object as the evaluation before (one user's flags
   * evaluated one by one): its bucketing keys were likely hashed then. A hint for hashing only
   * (see hashedBefore): answers never depend on it.
   */
  private sameContext = false;
  private generation = 0;
  private valueStamps = new Int32Array(16);
  private readonly values: unknown[] = [];
  private keyStamps = new Int32Array(16);
  private hashStamps = new Int32Array(16);
  private readonly keys: (string | undefined)[] = [];
  private conditionStamps = new Int32Array(16);
  private conditionOutcomes = new Uint8Array(16);

  /** Starts evaluating `context`: nothing read so far counts. */
  reset(context: EvaluationContext, remember: boolean): void {
    this.sameContext = context === this.context;
    this.context = context;
    this.remembers = remember;
    if (!remember) return;
    if (this.valueStamps.length < slotNames.length) this.growSlots();
    if (this.conditionStamps.length < conditionCount) this.growConditions();
    this.generation = (this.generation + 1) | 0;
    if (this.generation === 0) {
      this.valueStamps.fill(0);
      this.keyStamps.fill(0);
      this.hashStamps.fill(0);
      this.conditionStamps.fill(0);
      this.generation = 1;
    }
  }

  /** The attribute of `slot`, as readAttribute gives it. May throw if the context's getters do. */
  value(slot: number): unknown {
    if (!this.remembers) return readSlot(this.context, slot);
    if (this.valueStamps[slot] === this.generation) return this.values[slot];
    const value = readSlot(this.context, slot);
    this.values[slot] = value;
    this.valueStamps[slot] = this.generation;
    return value;
  }

  /** The attribute of `slot` as a bucketing key (bucketKeyOf). */
  key(slot: number): string | undefined {
    if (!this.remembers) return bucketKeyOf(this.value(slot));
    if (this.keyStamps[slot] === this.generation) return this.keys[slot];
    const key = bucketKeyOf(this.value(slot));
    this.keys[slot] = key;
    this.keyStamps[slot] = this.generation;
    return key;
  }

  /**
   * Whether the bucketing key of `slot` was hashed before (in this bulk evaluation, or likely in
   * the previous evaluation of this context), so hashing it again reuses its encoding
   * (murmur3ContinueAt's `again`); counts this hashing.
   */
  hashedBefore(slot: number): boolean {
    if (!this.remembers) return this.sameContext;
    if (this.hashStamps[slot] === this.generation) return true;
    this.hashStamps[slot] = this.generation;
    return false;
  }

  /** Whether the condition holds for this context: decided once per evaluation, then remembered. */
  holds(condition: { readonly id: number; readonly slot: number; holds(value: unknown): boolean }): boolean {
    if (!this.remembers) return condition.holds(this.value(condition.slot));
    const id = condition.id;
    if (this.conditionStamps[id] === this.generation) return this.conditionOutcomes[id] === 1;
    const outcome = condition.holds(this.value(condition.slot));
    this.conditionOutcomes[id] = outcome ? 1 : 0;
    this.conditionStamps[id] = this.generation;
    return outcome;
  }

  private growConditions(): void {
    const size = Math.max(conditionCount, this.conditionStamps.length * 2);
    this.conditionStamps = widened(this.conditionStamps, new Int32Array(size));
    this.conditionOutcomes = widened(this.conditionOutcomes, new Uint8Array(size));
  }

  private growSlots(): void {
    const size = Math.max(slotNames.length, this.valueStamps.length * 2);
    this.valueStamps = widened(this.valueStamps, new Int32Array(size));
    this.keyStamps = widened(this.keyStamps, new Int32Array(size));
    this.hashStamps = widened(this.hashStamps, new Int32Array(size));
  }
}

/** `wider`, holding `array`'s elements first. */
function widened<T extends Int32Array | Uint8Array>(array: T, wider: T): T {
  wider.set(array);
  return wider;
}

const shared = new PreparedContext();
let sharedInUse = false;

/**
 * A PreparedContext for `context`, remembering what it read for a bulk evaluation; give it back with releasePreparedContext (in a finally).
 * Evaluations reuse one; an evaluation that starts while another runs (a context getter that
 * evaluates flags) gets its own.
 */
export function acquirePreparedContext(context: EvaluationContext, remember: boolean): PreparedContext {
  const prepared = sharedInUse ? new PreparedContext() : shared;
  sharedInUse = true;
  prepared.reset(context, remember);
  return prepared;
}

export function releasePreparedContext(prepared: PreparedContext): void {
  if (prepared === shared) sharedInUse = false;
}
