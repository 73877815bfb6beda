import type { StoredFlag } from '../../api/types.js';
import { environmentState } from '../../flags/environment-state.js';

export interface FlagFilters {
  /** Case-insensitive part of the name. */
  name: string;
  tag: string;
  owner: string;
  /** Only flags configured there; '' for all. */
  environment: string;
  /** Only flags in the stale-flags report. */
  staleOnly: boolean;
}

export const NO_FILTERS: FlagFilters = { name: '', tag: '', owner: '', environment: '', staleOnly: false };

export function filterFlags(
  flags: readonly StoredFlag[],
  filters: FlagFilters,
  staleNames: ReadonlySet<string> | undefined,
): StoredFlag[] {
  const name = filters.name.trim().toLowerCase();
  return flags.filter(
    (flag) =>
      (name === '' || flag.name.includes(name)) &&
      (filters.tag === '' || flag.tags.includes(filters.tag)) &&
      (filters.owner === '' || flag.owner === filters.owner) &&
      (filters.environment === '' || environmentState(flag, filters.environment).status !== 'absent') &&
      (!filters.staleOnly || staleNames?.has(flag.name) === true),
  );
}

/** The distinct tags and owners of the flags, sorted, for the filter menus. */
export function facetsOf(flags: readonly StoredFlag[]): { tags: string[]; owners: string[] } {
  const tags = new Set<string>();
  const owners = new Set<string>();
  for (const flag of flags) {
    for (const tag of flag.tags) tags.add(tag);
    if (flag.owner) owners.add(flag.owner);
  }
  return { tags: [...tags].sort(), owners: [...owners].sort() };
}
