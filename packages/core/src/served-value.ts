import { BUCKET_COUNT, bucketPrefix, bucketUnits, percentageToUnits, VARIANT_SALT } from './bucketing.js';
import type { Murmur3State } from './murmur3.js';
import type { EvaluationResult, Flag, JsonValue, Reason, Variant } from './model.js';

/** A flag object that did not come from validateFlag; evaluation reports it as PARSE_ERROR. */
export class InvalidFlagError extends Error {
  readonly code = 'PARSE_ERROR';
  override readonly name = 'InvalidFlagError';
}

/** A value with the variant it comes from (none for a plain boolean flag, or a missing off value). */
export interface FixedValue {
  readonly value: JsonValue | undefined;
  readonly variant: string | undefined;
}

/** Who serves: a rule (its index and name), or the fallthrough (undefined). */
export interface Server {
  readonly index: number;
  readonly name: string | undefined;
}

/**
 * What a rule or the fallthrough serves, with every result it can give computed in advance: one
 * result for a fixed value, one per variant for a weighted split (picked by the bucketing key's
 * hash). Results are frozen and shared by every evaluation that ends there.
 */
export class ServedValue implements Murmur3State {
  /** Split only: the variant hash's prefix state, kept here rather than in an object of its own. */
  readonly h1: number;
  readonly tail: number;
  readonly shift: number;
  readonly length: number;

  constructor(
    /** The result when no split is needed; undefined for a split. */
    readonly fixed: EvaluationResult | undefined,
    /** Split only: results per weighted variant, and the bucket units below which each is picked. */
    readonly results: readonly EvaluationResult[],
    readonly thresholds: readonly number[],
    prefix: Murmur3State | undefined,
  ) {
    this.h1 = prefix?.h1 ?? 0;
    this.tail = prefix?.tail ?? 0;
    this.shift = prefix?.shift ?? 0;
    this.length = prefix?.length ?? 0;
  }

  /** The result for a bucketing key (a split; a fixed value ignores it). */
  pick(key: string): EvaluationResult {
    const units = bucketUnits(this, key);
    const thresholds = this.thresholds;
    for (let i = 0; i < thresholds.length; i++) if (units < thresholds[i]!) return this.results[i]!;
    return this.results[this.results.length - 1]!;
  }
}

function findVariant(flag: Flag, name: string): Variant {
  const variant = flag.variants.find((v) => v.name === name);
  if (variant === undefined) throw new InvalidFlagError(`flag "${flag.name}" has no variant "${name}"`);
  return variant;
}

/**
 * Variant names reported for outcomes that are no variant of the flag's own, so every answer names
 * one (OFREP clients require it): `on` for what a flag without variants serves (`true`), `off` for
 * the off value of a flag without an offVariant (`false` for booleans, else the caller's default).
 */
export const SERVED_VARIANT_NAME = 'on';
export const OFF_VARIANT_NAME = 'off';

/** Every variant name an evaluation of the flag can report: its variants' and the two above where they apply. */
export function reportedVariantNames(flag: Pick<Flag, 'variants' | 'offVariant'>): string[] {
  const names = new Set(flag.variants.map((v) => v.name));
  if (flag.variants.length === 0) names.add(SERVED_VARIANT_NAME);
  if (flag.offVariant === undefined) names.add(OFF_VARIANT_NAME);
  return [...names];
}

/** Whether `name` is one of the flag's own variants (not a reported `on`/`off` for an outcome that is none). */
export function isFlagVariant(flag: Pick<Flag, 'variants'>, name: string | undefined): boolean {
  return name !== undefined && flag.variants.some((v) => v.name === name);
}

/** The value served when the flag is off for a user: offVariant, else false for booleans, else nothing. */
export function offValue(flag: Flag): FixedValue {
  if (flag.offVariant !== undefined) return fixed(findVariant(flag, flag.offVariant));
  return { value: flag.type === 'boolean' ? false : undefined, variant: OFF_VARIANT_NAME };
}

/**
 * What a rule (or the fallthrough, `server` undefined) serves to the users it selects: the named
 * variant, else the weighted split, else `true` for a boolean flag without variants. A split with
 * one variant of non-zero weight is that variant: no bucket, no key needed.
 */
export function servedValue(
  flag: Flag,
  variantName: string | undefined,
  reason: Reason,
  server: Server | undefined,
): ServedValue {
  const served = (value: FixedValue) => servedResult(flag.name, value, reason, server);
  if (variantName !== undefined)
    return new ServedValue(served(fixed(findVariant(flag, variantName))), [], [], undefined);
  const weighted = flag.variants.filter((v) => v.weight > 0);
  if (weighted.length === 0) {
    if (flag.variants.length > 0) throw new InvalidFlagError(`flag "${flag.name}" has no variant with a weight`);
    return new ServedValue(
      served({ value: flag.type === 'boolean' ? true : undefined, variant: SERVED_VARIANT_NAME }),
      [],
      [],
      undefined,
    );
  }
  if (weighted.length === 1) return new ServedValue(served(fixed(weighted[0]!)), [], [], undefined);
  const thresholds: number[] = [];
  let cumulative = 0;
  for (const v of weighted) {
    cumulative += v.weight;
    thresholds.push(percentageToUnits(cumulative));
  }
  // The last variant takes what rounding left over, so every bucket lands somewhere.
  thresholds[thresholds.length - 1] = BUCKET_COUNT;
  const results = weighted.map((v) => served(fixed(v)));
  return new ServedValue(undefined, results, thresholds, bucketPrefix(flag.name, VARIANT_SALT));
}

/** The result of serving `served`, frozen: one literal per shape, as results are read in hot paths. */
function servedResult(
  flagName: string,
  served: FixedValue,
  reason: Reason,
  server: Server | undefined,
): EvaluationResult {
  const { value, variant } = served;
  if (server === undefined) return Object.freeze({ flagName, value, variant, enabled: true, reason });
  if (server.name === undefined)
    return Object.freeze({ flagName, value, variant, enabled: true, reason, ruleIndex: server.index });
  return Object.freeze({
    flagName,
    value,
    variant,
    enabled: true,
    reason,
    ruleIndex: server.index,
    ruleName: server.name,
  });
}

function fixed(variant: Variant): FixedValue {
  return { value: variant.value, variant: variant.name };
}
