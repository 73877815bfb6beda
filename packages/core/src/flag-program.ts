import { BUCKET_COUNT } from './bucketing.js';
import type { CompiledCondition, CompiledEnvironment } from './compile-flag.js';
import type { EvaluationResult } from './model.js';
import { murmur3ContinueAt, type Murmur3State } from './murmur3.js';
import { TARGETING_KEY_SLOT, type PreparedContext } from './prepared-context.js';
import type { ServedValue } from './served-value.js';

// Per flag, FLAG_STRIDE integers:
const F_ENABLED = 0;
const F_RULE_START = 1;
const F_RULE_END = 2;
/** Index of the fallthrough's served value, -1: the off value. */
const F_FALLTHROUGH = 3;
const F_FALLTHROUGH_SLOT = 4;
const FLAG_STRIDE = 5;

// Per rule, RULE_STRIDE integers:
const R_CONDITION_START = 0;
const R_CONDITION_END = 1;
const R_MATCH_ANY = 2;
const R_THRESHOLD = 3;
const R_BUCKET_SLOT = 4;
/** The rollout hash's prefix state: R_H1, R_H1 + 1 (tail), + 2 (shift), + 3 (length). */
const R_H1 = 5;
const R_SERVED = 9;
/** Index of the rule's user list in `userLists`, -1: not a user list. */
const R_USER_LIST = 10;
const RULE_STRIDE = 11;

// Per served value, SERVED_STRIDE integers:
const S_RESULT_START = 0;
/** 0: the result at S_RESULT_START always; 1: a split over the results from S_RESULT_START. */
const S_SPLIT = 1;
const S_RESULT_END = 2;
/** The variant hash's prefix state, four integers as R_H1. */
const S_H1 = 3;
const SERVED_STRIDE = 7;

/**
 * Compiled flags laid out for evaluation as a few flat arrays ("struct of arrays"): per flag, per
 * rule and per served value a run of integers in one Int32Array each, and the shared objects
 * (conditions, user lists, results) in plain arrays indexed from them. Evaluating many flags for
 * one context walks these arrays in order, touching a few cache lines per flag rather than the
 * half-dozen objects a flag's compiled configuration is made of (which, for thousands of flags,
 * outgrow the core's cache), and one loop reads every flag the same way.
 */
export class FlagProgram {
  private readonly flagInts: Int32Array;
  private readonly ruleInts: Int32Array;
  private readonly servedInts: Int32Array;
  private readonly thresholds: Int32Array;
  private readonly conditions: readonly CompiledCondition[];
  private readonly userLists: readonly ReadonlySet<string>[];
  private readonly results: readonly EvaluationResult[];
  private readonly offResults: readonly EvaluationResult[];
  private readonly keyMissingResults: readonly EvaluationResult[];

  /** One flag per environment configuration, in order: flag i is `environments[i]`. */
  constructor(environments: readonly CompiledEnvironment[]) {
    const flagInts: number[] = [];
    const ruleInts: number[] = [];
    const servedInts: number[] = [];
    const thresholds: number[] = [];
    const conditions: CompiledCondition[] = [];
    const userLists: ReadonlySet<string>[] = [];
    const results: EvaluationResult[] = [];
    const offResults: EvaluationResult[] = [];
    const keyMissingResults: EvaluationResult[] = [];
    const addServed = (served: ServedValue): number => {
      const index = servedInts.length / SERVED_STRIDE;
      const start = results.length;
      if (served.fixed !== undefined) {
        results.push(served.fixed);
        thresholds.push(BUCKET_COUNT);
      } else {
        results.push(...served.results);
        thresholds.push(...served.thresholds);
      }
      servedInts.push(start, served.fixed === undefined ? 1 : 0, results.length, ...hashState(served));
      return index;
    };
    for (const env of environments) {
      const ruleStart = ruleInts.length / RULE_STRIDE;
      for (const rule of env.rules) {
        const conditionStart = conditions.length;
        conditions.push(...rule.conditions);
        let userList = -1;
        if (rule.userIds !== undefined) {
          userList = userLists.length;
          userLists.push(rule.userIds);
        }
        ruleInts.push(
          conditionStart,
          conditions.length,
          rule.matchAny ? 1 : 0,
          rule.threshold,
          rule.bucketSlot,
          ...hashState(rule),
          addServed(rule.served),
          userList,
        );
      }
      const fallthrough = env.fallthrough === undefined ? -1 : addServed(env.fallthrough);
      flagInts.push(env.enabled ? 1 : 0, ruleStart, ruleInts.length / RULE_STRIDE, fallthrough, env.fallthroughSlot);
      offResults.push(env.offResult);
      keyMissingResults.push(env.keyMissingResult);
    }
    this.flagInts = Int32Array.from(flagInts);
    this.ruleInts = Int32Array.from(ruleInts);
    this.servedInts = Int32Array.from(servedInts);
    this.thresholds = Int32Array.from(thresholds);
    this.conditions = conditions;
    this.userLists = userLists;
    this.results = results;
    this.offResults = offResults;
    this.keyMissingResults = keyMissingResults;
  }

  /**
   * Flag `flag`'s result for the context in `prepared`. The first rule that serves the user
   * decides; a rule that needs a bucketing key the context lacks is skipped, and if no later rule
   * decides, the answer is TARGETING_KEY_MISSING. May throw if reading the context throws.
   */
  evaluate(flag: number, prepared: PreparedContext): EvaluationResult {
    const flagAt = flag * FLAG_STRIDE;
    const flagInts = this.flagInts;
    if (flagInts[flagAt + F_ENABLED] === 0) return this.offResults[flag]!;
    const rules = this.ruleInts;
    let keyMissing = false;
    for (
      let r = flagInts[flagAt + F_RULE_START]! * RULE_STRIDE, end = flagInts[flagAt + F_RULE_END]! * RULE_STRIDE;
      r < end;
      r += RULE_STRIDE
    ) {
      const userList = rules[r + R_USER_LIST]!;
      if (userList >= 0) {
        const key = prepared.key(TARGETING_KEY_SLOT);
        if (key === undefined) {
          keyMissing = true;
          continue;
        }
        if (!this.userLists[userList]!.has(key)) continue;
      } else {
        const conditionEnd = rules[r + R_CONDITION_END]!;
        let c = rules[r + R_CONDITION_START]!;
        if (c < conditionEnd) {
          const matchAny = rules[r + R_MATCH_ANY] === 1;
          let matched = !matchAny;
          for (; c < conditionEnd; c++) {
            if (prepared.holds(this.conditions[c]!) === matchAny) {
              matched = matchAny;
              break;
            }
          }
          if (!matched) continue;
        }
        const threshold = rules[r + R_THRESHOLD]!;
        if (threshold < BUCKET_COUNT) {
          if (threshold <= 0) continue;
          const slot = rules[r + R_BUCKET_SLOT]!;
          const key = prepared.key(slot);
          if (key === undefined) {
            keyMissing = true;
            continue;
          }
          if (bucketUnitsAt(rules, r + R_H1, key, prepared.hashedBefore(slot)) >= threshold) continue;
        }
      }
      const served = rules[r + R_SERVED]! * SERVED_STRIDE;
      if (this.servedInts[served + S_SPLIT] === 0) return this.results[this.servedInts[served + S_RESULT_START]!]!;
      const slot = rules[r + R_BUCKET_SLOT]!;
      const key = prepared.key(slot);
      if (key !== undefined) return this.pick(served, key, prepared.hashedBefore(slot));
      keyMissing = true;
    }
    if (keyMissing) return this.keyMissingResults[flag]!;
    const fallthrough = flagInts[flagAt + F_FALLTHROUGH]!;
    if (fallthrough < 0) return this.offResults[flag]!;
    const served = fallthrough * SERVED_STRIDE;
    if (this.servedInts[served + S_SPLIT] === 0) return this.results[this.servedInts[served + S_RESULT_START]!]!;
    const slot = flagInts[flagAt + F_FALLTHROUGH_SLOT]!;
    const key = prepared.key(slot);
    return key === undefined ? this.keyMissingResults[flag]! : this.pick(served, key, prepared.hashedBefore(slot));
  }

  /** The split's result for a bucketing key. */
  private pick(served: number, key: string, again: boolean): EvaluationResult {
    const ints = this.servedInts;
    const units = bucketUnitsAt(ints, served + S_H1, key, again);
    const end = ints[served + S_RESULT_END]! - 1;
    let i = ints[served + S_RESULT_START]!;
    while (i < end && units >= this.thresholds[i]!) i++;
    return this.results[i]!;
  }
}

/** bucketUnits for the prefix state stored as four integers from `ints[at]`. */
function bucketUnitsAt(ints: Int32Array, at: number, key: string, again: boolean): number {
  // `>>> 0` tells the compiler the hash is a 32-bit unsigned integer: an integer remainder, not a floating-point one.
  return (murmur3ContinueAt(ints, at, key, again) >>> 0) % BUCKET_COUNT;
}

function hashState(state: Murmur3State): number[] {
  return [state.h1, state.tail, state.shift, state.length];
}
