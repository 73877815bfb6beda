import { BUCKET_COUNT, bucketPrefix, bucketUnits, percentageToUnits, VARIANT_SALT } from './bucketing.js';
import type { Murmur3State } from './murmur3.js';
import type { Flag, JsonValue, Variant } from './model.js';

/** What a rule or the fallthrough serves: one fixed value, or a weighted split over variants. */
export type ServedValue =
  | { readonly split: false; readonly value: JsonValue | undefined; readonly variant: string | undefined }
  | { readonly split: true; readonly prefix: Murmur3State; readonly thresholds: readonly number[]; readonly variants: readonly Variant[] };

export type FixedValue = Extract<ServedValue, { split: false }>;

/** A flag object that did not come from validateFlag; evaluation reports it as PARSE_ERROR. */
export class InvalidFlagError extends Error {
  readonly code = 'PARSE_ERROR';
  override readonly name = 'InvalidFlagError';
}

export function findVariant(flag: Flag, name: string): Variant {
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
  return { split: false, value: flag.type === 'boolean' ? false : undefined, variant: OFF_VARIANT_NAME };
}

/**
 * The value served to a user a rule (or the fallthrough) selects: the named variant, else the
 * weighted split, else `true` for a boolean flag without variants. A split with one variant
 * of non-zero weight is that variant: no bucket, no key needed.
 */
export function servedValue(flag: Flag, variantName: string | undefined): ServedValue {
  if (variantName !== undefined) return fixed(findVariant(flag, variantName));
  const weighted = flag.variants.filter((v) => v.weight > 0);
  if (weighted.length === 0) {
    if (flag.variants.length > 0) throw new InvalidFlagError(`flag "${flag.name}" has no variant with a weight`);
    return { split: false, value: flag.type === 'boolean' ? true : undefined, variant: SERVED_VARIANT_NAME };
  }
  if (weighted.length === 1) return fixed(weighted[0]!);
  const thresholds: number[] = [];
  let cumulative = 0;
  for (const v of weighted) {
    cumulative += v.weight;
    thresholds.push(percentageToUnits(cumulative));
  }
  // The last variant takes what rounding left over, so every bucket lands somewhere.
  thresholds[thresholds.length - 1] = BUCKET_COUNT;
  return { split: true, prefix: bucketPrefix(flag.name, VARIANT_SALT), thresholds, variants: weighted };
}

/** The variant of a split for a bucketing key. */
export function splitVariant(served: Extract<ServedValue, { split: true }>, key: string): Variant {
  const units = bucketUnits(served.prefix, key);
  const { thresholds, variants } = served;
  for (let i = 0; i < thresholds.length; i++) if (units < thresholds[i]!) return variants[i]!;
  return variants[variants.length - 1]!;
}

function fixed(variant: Variant): FixedValue {
  return { split: false, value: variant.value, variant: variant.name };
}
