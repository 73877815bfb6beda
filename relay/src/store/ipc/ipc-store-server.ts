import type { Store } from '../store.js';
import type { UsageDelta } from '../usage/usage-store.js';
import { isKind, type IpcChannel } from './ipc-channel.js';
import { encodeStoreError } from './store-error-codec.js';
import { isForwarded, STORE_CALL, STORE_REPLY, type StoreCall, type StoreReply } from './store-methods.js';

/** Usage deltas whose apply failed, kept so a retry reaches the store as the same object; the oldest go beyond this. */
const MAX_RETRIED_DELTAS = 64;

/**
 * Answers an IpcStore's calls on `channel` from `store` (the primary's embedded store, for one
 * worker). Only the Store interface's methods are called. Returns the function that stops answering.
 */
export function serveStoreOverIpc(store: Store, channel: IpcChannel): () => void {
  const unapplied = new Map<number, UsageDelta>();
  const run = (call: StoreCall): Promise<unknown> => {
    if (!isForwarded(call.slice, call.method)) throw new Error(`the store has no method ${call.slice}.${call.method}`);
    if (call.slice === 'store') return store.ping();
    if (call.deltaId !== undefined) return applyOnce(call.deltaId, call.args[0] as UsageDelta);
    const target = store[call.slice] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    return target[call.method]!(...call.args);
  };
  // A retried delta is applied as the object first received, which the store recognises (no double count).
  const applyOnce = async (deltaId: number, received: UsageDelta): Promise<void> => {
    const delta = unapplied.get(deltaId) ?? received;
    unapplied.set(deltaId, delta);
    if (unapplied.size > MAX_RETRIED_DELTAS) unapplied.delete(unapplied.keys().next().value!);
    await store.usage.apply(delta);
    unapplied.delete(deltaId);
  };
  const reply = (answer: StoreReply): void => {
    try {
      channel.send(answer);
    } catch {
      // The worker is gone: nobody waits for this answer.
    }
  };
  return channel.onMessage((message) => {
    if (!isKind<StoreCall>(message, STORE_CALL)) return;
    const { id } = message;
    Promise.resolve()
      .then(() => run(message))
      .then(
        (result) => reply({ kind: STORE_REPLY, id, ok: true, result }),
        (error: unknown) => reply({ kind: STORE_REPLY, id, ok: false, error: encodeStoreError(error) }),
      );
  });
}
