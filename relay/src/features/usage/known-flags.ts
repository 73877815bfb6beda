import type { UsageBatch } from '@switchyard/protocol';

/** A batch split into what names flags (and variants) the environment has, and the names it does not have. */
export interface KnownFlagsSplit {
  known: UsageBatch;
  /** Sorted, each once: flags named by entries that were left out. */
  unknownFlags: string[];
  /**
   * Sorted, each once: `flag/variant` of entries left out because the flag has no such variant
   * (`/variant` for an event that names a variant but no flag).
   */
  unknownVariants: string[];
}

/**
 * Keeps the entries whose flag the environment has and whose variant, if any, is one of the flag's
 * (events without a flag are kept: they count for the environment). Usage is stored per flag and
 * variant name, so without this a sender, even with a public client key, could fill the store with
 * buckets and sets for made-up names. `variantsOf` answers undefined for a flag the environment lacks.
 */
export function splitByKnownFlags(
  batch: UsageBatch,
  variantsOf: (flagName: string) => readonly string[] | undefined,
): KnownFlagsSplit {
  const unknownFlags = new Set<string>();
  const unknownVariants = new Set<string>();
  const variantsByFlag = new Map<string, readonly string[] | undefined>();
  const keep = (flagName: string | undefined, variant: string | undefined): boolean => {
    if (flagName === undefined) {
      if (variant === undefined) return true;
      unknownVariants.add(`/${variant}`);
      return false;
    }
    if (!variantsByFlag.has(flagName)) variantsByFlag.set(flagName, variantsOf(flagName));
    const variants = variantsByFlag.get(flagName);
    if (variants === undefined) {
      unknownFlags.add(flagName);
      return false;
    }
    if (variant === undefined || variants.includes(variant)) return true;
    unknownVariants.add(`${flagName}/${variant}`);
    return false;
  };
  const known: UsageBatch = { ...batch };
  if (batch.evaluations) known.evaluations = batch.evaluations.filter((entry) => keep(entry.flagName, entry.variant));
  if (batch.errors) known.errors = batch.errors.filter((entry) => keep(entry.flagName, undefined));
  if (batch.events) known.events = batch.events.filter((event) => keep(event.flagName, event.variant));
  return { known, unknownFlags: [...unknownFlags].sort(), unknownVariants: [...unknownVariants].sort() };
}
