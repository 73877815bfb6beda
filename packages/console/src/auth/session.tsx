import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { UnauthorizedError } from '../api/problem.js';
import { RelayClient } from '../api/relay-client.js';
import type { ApiKeyRole } from '@switchyard/protocol';
import type { WhoAmI } from '../api/types.js';
import { forgetKey, storedKey, storeKey } from './key-storage.js';

/** The signed-in console: its client, who the key is, and what its role may do. */
export interface Session {
  client: RelayClient;
  whoami: WhoAmI;
  role: ApiKeyRole;
  /** Editors and admins change flags; viewers only read. */
  canEdit: boolean;
  /** Only admins manage API keys. */
  canManageKeys: boolean;
  signOut(): void;
}

interface SessionState {
  session: Session | undefined;
  signIn(key: string): Promise<void>;
  /** Resumes a key kept in this tab's sessionStorage; resolves false when there is none or it no longer works. */
  resume(): Promise<boolean>;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

/** Roles a console session is for: server and client keys belong to applications. */
const CONSOLE_ROLES: ReadonlySet<ApiKeyRole> = new Set(['admin', 'editor', 'viewer']);

export class NotAConsoleKeyError extends Error {
  override readonly name = 'NotAConsoleKeyError';
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [session, setSession] = useState<Session | undefined>();

  const signOut = useCallback(() => {
    forgetKey();
    queryClient.clear();
    setSession(undefined);
  }, [queryClient]);

  const open = useCallback(
    async (key: string): Promise<void> => {
      const client = new RelayClient(key);
      const whoami = await client.whoami();
      const role = whoami.key.role;
      if (!CONSOLE_ROLES.has(role)) {
        throw new NotAConsoleKeyError(`a ${role} key is for applications; sign in with an admin, editor or viewer key`);
      }
      storeKey(key);
      setSession({ client, whoami, role, canEdit: role !== 'viewer', canManageKeys: role === 'admin', signOut });
    },
    [signOut],
  );

  const resume = useCallback(async (): Promise<boolean> => {
    const key = storedKey();
    if (key === undefined) return false;
    try {
      await open(key);
      return true;
    } catch (error) {
      if (error instanceof UnauthorizedError || error instanceof NotAConsoleKeyError) forgetKey();
      return false;
    }
  }, [open]);

  const state = useMemo(() => ({ session, signIn: open, resume }), [session, open, resume]);
  return <SessionContext.Provider value={state}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionState {
  const state = useContext(SessionContext);
  if (state === undefined) throw new Error('useSessionState outside SessionProvider');
  return state;
}

/** The signed-in session; only screens shown after sign-in call it. */
export function useSession(): Session {
  const { session } = useSessionState();
  if (session === undefined) throw new Error('useSession before sign-in');
  return session;
}
