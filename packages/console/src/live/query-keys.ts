/** Query keys the live updates invalidate: every list of flags, each flag by name, and the scheduler. */
export const FLAGS_KEY = ['flags'] as const;
export const SCHEDULER_KEY = ['scheduler'] as const;

export function flagKey(name?: string): readonly unknown[] {
  return name === undefined ? ['flag'] : ['flag', name];
}
