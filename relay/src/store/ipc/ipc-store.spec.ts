import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleFlag } from '../../testing/sample-flag.js';
import { storeContract } from '../contracts/store-contract.js';
import { FileStore } from '../file/file-store.js';
import { StoreUnavailableError, VersionConflictError } from '../store-errors.js';
import type { IpcChannel } from './ipc-channel.js';
import { IpcStore } from './ipc-store.js';
import { serveStoreOverIpc } from './ipc-store-server.js';

/** One end of a MessageChannel: structured clones, as cluster's `advanced` serialization sends. */
function portChannel(port: MessagePort): IpcChannel {
  return {
    send: (message) => port.postMessage(message),
    onMessage(listener) {
      port.on('message', listener);
      return () => port.off('message', listener);
    },
    onClose: (listener) => port.once('close', listener),
  };
}

const directories: string[] = [];
afterAll(async () => {
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
});

/** An embedded store behind a channel, and the IpcStore on the other end; closing it closes both. */
async function ipcStoreOverFiles(): Promise<{ store: IpcStore; file: FileStore; primaryEnd: MessagePort }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-ipc-store-'));
  directories.push(dataDir);
  const file = await FileStore.open({ dataDir });
  const { port1, port2 } = new MessageChannel();
  serveStoreOverIpc(file, portChannel(port1));
  const store = new IpcStore(portChannel(port2));
  const closeIpc = store.close.bind(store);
  store.close = async () => {
    await closeIpc();
    port2.close();
    await file.close();
  };
  return { store, file, primaryEnd: port1 };
}

storeContract('IPC to an embedded store', async () => (await ipcStoreOverFiles()).store);

describe('IPC store', () => {
  it('when a write conflicts, then the typed error arrives with its fields', async () => {
    const { store } = await ipcStoreOverFiles();
    try {
      const created = await store.flags.create(sampleFlag('typed-errors'));
      const stale = store.flags.update(created, created.version + 5);
      await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
      await expect(stale).rejects.toMatchObject({ flagName: 'typed-errors', expectedVersion: 6, actualVersion: 1 });
    } finally {
      await store.close();
    }
  });

  it('when the process holding the store goes away, then pending and later calls fail as store unavailable', async () => {
    const { store, file, primaryEnd } = await ipcStoreOverFiles();
    await store.ping();
    primaryEnd.close();
    await expect(store.flags.get('anything')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await file.close();
  });
});
