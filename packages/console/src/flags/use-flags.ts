import { useQuery } from '@tanstack/react-query';
import { useSession } from '../auth/session.js';
import { flagKey, FLAGS_KEY, SCHEDULER_KEY } from '../live/query-keys.js';

/** Every flag (page after page of the relay's largest page), cached; the live stream keeps it fresh. */
export function useAllFlags() {
  const { client, whoami } = useSession();
  return useQuery({ queryKey: FLAGS_KEY, queryFn: ({ signal }) => client.allFlags(whoami.relay.maxPageSize, signal) });
}

export function useFlag(name: string) {
  const { client } = useSession();
  return useQuery({ queryKey: flagKey(name), queryFn: () => client.getFlag(name) });
}

export function useScheduler() {
  const { client } = useSession();
  return useQuery({ queryKey: SCHEDULER_KEY, queryFn: () => client.scheduler() });
}

/** The stale-flags report's flag names; undefined while loading or when the relay has analytics off. */
export function useStaleFlagNames(enabled: boolean) {
  const { client } = useSession();
  return useQuery({
    queryKey: ['stale-flags'],
    queryFn: async () => new Set((await client.staleFlags()).flags.map((flag) => flag.flagName)),
    enabled,
  });
}
