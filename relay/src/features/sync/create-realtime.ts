import type { IncomingMessage, Server } from 'node:http';
import type { CallerResolver } from '../../http/caller-resolver.js';
import type { Store } from '../../store/store.js';
import type { FlagVisibility } from '../flags/flag-environments.js';
import { FlagMap } from '../flags/flag-map.js';
import { attachStreamEndpoint } from '../stream/stream-endpoint.js';
import { StreamHub, type StreamStats } from '../stream/stream-hub.js';
import { FlagSync, type SyncStatus } from './flag-sync.js';
import type { RealtimeSettings } from './realtime-settings.js';
import type { RelayPeers } from './relay-peers.js';

export interface RealtimeDeps {
  store: Store;
  settings: RealtimeSettings;
  defaultEnvironment: string;
  /** Who opens a stream (the resolver REST and OFREP use). */
  callers: CallerResolver;
  /** Which flags client streams may name. */
  visibility: FlagVisibility;
  /** The relay's flags in memory, which the sync keeps up to date (a new one when absent). */
  flagMap?: FlagMap;
  /** Other processes on the same store, told of this one's writes (cluster workers). */
  peers?: RelayPeers;
}

export interface Realtime {
  flagMap: FlagMap;
  hub: StreamHub;
  sync: FlagSync;
  /** Serves the websocket stream on `server`; `addressOf` gives a request's client address (SWITCHYARD_TRUST_PROXY). */
  attach(server: Server, addressOf?: (request: IncomingMessage) => string): void;
  /** Loads the flags (if the store is unreachable, the `flag-sync` job keeps trying). */
  start(): Promise<void>;
  /**
   * Call after every successful flag write: reads it from the store now (resolves once the flag map
   * has it) and tells the peers, instead of waiting for the next poll.
   */
  flagWritten(): Promise<void>;
  status(): { sync: SyncStatus; stream: StreamStats };
  /** Closes every stream (1001). */
  stop(): void;
}

/**
 * Push and sync of one relay: store → (poll) → flag map → streams. The periodic parts (the poll,
 * heartbeats) are jobs in relay/src/jobs. Starts even when the store is unreachable: streams wait
 * for the first load.
 */
export function createRealtime(deps: RealtimeDeps): Realtime {
  const flagMap = deps.flagMap ?? new FlagMap();
  const hub = new StreamHub(flagMap, deps.visibility, deps.settings.stream);
  const sync = new FlagSync(
    deps.store.flags,
    flagMap,
    { changed: (changes) => hub.publish(changes), reloaded: () => hub.reloaded() },
    deps.settings.sync,
  );
  const flagWritten = (): Promise<void> => {
    const poll = sync.pollNow();
    deps.peers?.announceWrite();
    return poll;
  };
  deps.peers?.onPeerWrite(() => void sync.pollNow());
  const endpoints: Array<{ close(): void }> = [];
  return {
    flagMap,
    hub,
    sync,
    flagWritten,
    attach(server, addressOf) {
      endpoints.push(
        attachStreamEndpoint(server, {
          hub,
          callers: deps.callers,
          defaultEnvironment: deps.defaultEnvironment,
          maxPayloadBytes: deps.settings.stream.maxPayloadBytes,
          catchUp: () => sync.pollNow(),
          addressOf,
          catchUpWaitMs: deps.settings.stream.catchUpWaitMs,
        }),
      );
    },
    start: () => sync.start().catch(() => undefined),
    status: () => ({ sync: sync.status(), stream: hub.stats() }),
    stop() {
      for (const endpoint of endpoints) endpoint.close();
      hub.stop();
    },
  };
}
