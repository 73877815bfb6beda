import { murmur3Continue, murmur3Prefix, type Murmur3State } from './murmur3.js';

/** Buckets per 100%: a bucket is 0.001% of users. */
export const BUCKET_COUNT = 100_000;
const UNITS_PER_PERCENT = BUCKET_COUNT / 100;

/** Salt of the bucket that decides whether a percentage serves a user. */
export const ROLLOUT_SALT = 'rollout';
/** Salt of the bucket that picks a weighted variant; differs from the rollout's so the two are independent. */
export const VARIANT_SALT = 'variant';

/** Precomputed hash state of `${flagName}:${salt}:` so bucketing a key hashes only the key. */
export function bucketPrefix(flagName: string, salt: string): Murmur3State {
  return murmur3Prefix(`${flagName}:${salt}:`);
}

/** The key's bucket as an integer in 0..BUCKET_COUNT-1. */
export function bucketUnits(prefix: Murmur3State, key: string): number {
  // `>>> 0` tells the compiler the hash is a 32-bit unsigned integer: an integer remainder, not a floating-point one.
  return (murmur3Continue(prefix, key) >>> 0) % BUCKET_COUNT;
}

/**
 * The bucket of `key` for `flagName` and `salt`, in [0, 100) with 0.001 resolution:
 * murmur3(`${flagName}:${salt}:${key}`) mod 100000, divided by 1000.
 */
export function bucketOf(flagName: string, salt: string, key: string): number {
  return bucketUnits(bucketPrefix(flagName, salt), key) / UNITS_PER_PERCENT;
}

/** A percentage as a bucket threshold: users with bucket units below it are in. */
export function percentageToUnits(percentage: number): number {
  if (!(percentage > 0)) return 0;
  if (percentage >= 100) return BUCKET_COUNT;
  return Math.round(percentage * UNITS_PER_PERCENT);
}
