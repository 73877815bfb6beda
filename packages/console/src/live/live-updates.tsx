import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { UnauthorizedError } from '../api/problem.js';
import { useSession } from '../auth/session.js';
import { readServerSentEvents } from './event-stream-reader.js';
import { AUDIT_KEY, flagKey, FLAGS_KEY, SCHEDULER_KEY } from './query-keys.js';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

/** What `GET /api/v1/flag-events` says in a `flags-changed` event (docs/protocol.md). */
interface FlagsChanged {
  revision: number;
  flagNames: string[];
  all?: boolean;
}

/** Wait before reconnecting after the stream broke, doubled per failure up to the maximum. */
const RECONNECT_DELAY_MS = 500;
const MAX_RECONNECT_DELAY_MS = 10_000;

const LiveContext = createContext<LiveState>('connecting');

/**
 * Follows the relay's flag events for as long as the console is signed in: each change invalidates
 * the cached list and the flags it names, so screens re-read them within the relay's push latency.
 * A revoked key ends the session.
 */
export function LiveUpdates({ children }: { children: ReactNode }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');

  useEffect(() => {
    const controller = new AbortController();
    let lastEventId: string | undefined;
    let delay = RECONNECT_DELAY_MS;
    const apply = (change: FlagsChanged) => {
      void queryClient.invalidateQueries({ queryKey: FLAGS_KEY });
      void queryClient.invalidateQueries({ queryKey: SCHEDULER_KEY });
      void queryClient.invalidateQueries({ queryKey: AUDIT_KEY });
      if (change.all) void queryClient.invalidateQueries({ queryKey: flagKey() });
      else for (const name of change.flagNames) void queryClient.invalidateQueries({ queryKey: flagKey(name) });
    };
    const follow = async () => {
      while (!controller.signal.aborted) {
        try {
          const body = await session.client.stream('/api/v1/flag-events', controller.signal, lastEventId);
          for await (const event of readServerSentEvents(body)) {
            if (event.event !== 'flags-changed') continue;
            setState('live');
            delay = RECONNECT_DELAY_MS;
            if (event.id !== undefined) lastEventId = event.id;
            apply(JSON.parse(event.data) as FlagsChanged);
          }
        } catch (error) {
          if (controller.signal.aborted) return;
          if (error instanceof UnauthorizedError) {
            session.signOut();
            return;
          }
        }
        if (controller.signal.aborted) return;
        setState('reconnecting');
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, MAX_RECONNECT_DELAY_MS);
      }
    };
    void follow();
    return () => controller.abort();
  }, [session, queryClient]);

  return <LiveContext.Provider value={state}>{children}</LiveContext.Provider>;
}

export function useLiveState(): LiveState {
  return useContext(LiveContext);
}
