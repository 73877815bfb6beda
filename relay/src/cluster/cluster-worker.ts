import cluster from 'node:cluster';
import type { RelayConfig } from '../config/relay-config.js';
import type { RelayPeers } from '../features/sync/relay-peers.js';
import { startRelay, type RunningRelay } from '../main.js';
import { isKind, parentProcessChannel, type IpcChannel } from '../store/ipc/ipc-channel.js';
import { IpcStore } from '../store/ipc/ipc-store.js';
import { PRIMARY_MESSAGE, WORKER_MESSAGE, type PrimaryMessage, type WorkerMessage } from './cluster-messages.js';

/**
 * One worker of `switchyard serve --workers N`: a whole relay on the shared port. With the embedded
 * store it reaches the primary's store over IPC; with MongoDB it connects itself, like any relay.
 * The primary passes its flag writes to the other workers and theirs to it. If the primary goes
 * away, the worker stops (its store, or its supervision, is gone).
 */
export async function startClusterWorker(config: RelayConfig): Promise<RunningRelay> {
  const channel = parentProcessChannel();
  const relay = await startRelay(config, {
    ...(config.mongodbUri === undefined ? { store: new IpcStore(channel) } : {}),
    peers: primaryPeers(channel),
    workerId: cluster.worker?.id,
  });
  tell(channel, 'ready');
  channel.onClose(() => {
    relay.logger.error({ worker: cluster.worker?.id }, 'the primary process is gone; this worker stops');
    void relay.stop().finally(() => process.exit(1));
  });
  return relay;
}

function primaryPeers(channel: IpcChannel): RelayPeers {
  return {
    announceWrite: () => tell(channel, 'flags-written'),
    onPeerWrite(listener) {
      channel.onMessage((message) => {
        if (isKind<PrimaryMessage>(message, PRIMARY_MESSAGE) && message.type === 'peer-flags-written') listener();
      });
    },
  };
}

function tell(channel: IpcChannel, type: WorkerMessage['type']): void {
  try {
    channel.send({ kind: WORKER_MESSAGE, type } satisfies WorkerMessage);
  } catch {
    // The primary is gone: onClose stops this worker.
  }
}
