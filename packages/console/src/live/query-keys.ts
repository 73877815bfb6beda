/** Query keys the live updates invalidate: every list of flags, each flag by name, the scheduler and the audit log. */
export const FLAGS_KEY = ['flags'] as const;
export const SCHEDULER_KEY = ['scheduler'] as const;
/** Every page of the audit log, whatever its filters: each flag change writes an entry. */
export const AUDIT_KEY = ['audit'] as const;

export function flagKey(name?: string): readonly unknown[] {
  return name === undefined ? ['flag'] : ['flag', name];
}
