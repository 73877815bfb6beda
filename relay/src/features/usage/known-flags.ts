import type { UsageBatch } from '@switchyard/protocol';

/** A batch split into what names flags the environment has, and the names it does not have. */
export interface KnownFlagsSplit {
  known: UsageBatch;
  /** Sorted, each once: flags named by entries that were left out. */
  unknownFlags: string[];
}

/**
 * Keeps the entries whose flag the environment has (events without a flag are kept: they count for
 * the environment). Usage is stored per flag name, so without this a sender, even with a public
 * client key, could fill the store with buckets for made-up names.
 */
export function splitByKnownFlags(batch: UsageBatch, isKnown: (flagName: string) => boolean): KnownFlagsSplit {
  const unknown = new Set<string>();
  const keep = (flagName: string | undefined): boolean => {
    if (flagName === undefined || isKnown(flagName)) return true;
    unknown.add(flagName);
    return false;
  };
  const known: UsageBatch = { ...batch };
  if (batch.evaluations) known.evaluations = batch.evaluations.filter((entry) => keep(entry.flagName));
  if (batch.errors) known.errors = batch.errors.filter((entry) => keep(entry.flagName));
  if (batch.events) known.events = batch.events.filter((event) => keep(event.flagName));
  return { known, unknownFlags: [...unknown].sort() };
}
