import type { ApiKeyStore, AuditStore, FlagStore, Store } from '../store.js';
import { StoreUnavailableError } from '../store-errors.js';
import type { UsageDelta, UsageStore } from '../usage/usage-store.js';
import { isKind, type IpcChannel } from './ipc-channel.js';
import { decodeStoreError } from './store-error-codec.js';
import {
  STORE_CALL,
  STORE_METHODS,
  STORE_REPLY,
  type StoreCall,
  type StoreReply,
  type StoreSlice,
} from './store-methods.js';

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * A Store whose every call runs in another process (the cluster primary, which holds the embedded
 * store's data directory) over an IPC channel: what each worker of `switchyard serve --workers N`
 * uses with the embedded store. Passes the store contract suite. Once the channel closes, every
 * pending and later call fails with StoreUnavailableError. `close()` leaves the other side's store open.
 */
export class IpcStore implements Store {
  readonly flags: FlagStore;
  readonly apiKeys: ApiKeyStore;
  readonly audit: AuditStore;
  readonly usage: UsageStore;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closedBecause: string | undefined;
  /** Usage deltas sent, by object: a retry of one carries its number, and one applied is not sent again. */
  private readonly deltas = new WeakMap<UsageDelta, { id: number; applied: boolean }>();
  private readonly stopListening: () => void;

  constructor(private readonly channel: IpcChannel) {
    this.flags = this.slice('flags') as unknown as FlagStore;
    this.apiKeys = this.slice('apiKeys') as unknown as ApiKeyStore;
    this.audit = this.slice('audit') as unknown as AuditStore;
    this.usage = { ...(this.slice('usage') as unknown as UsageStore), apply: (delta) => this.applyUsage(delta) };
    this.stopListening = channel.onMessage((message) => {
      if (!isKind<StoreReply>(message, STORE_REPLY)) return;
      const pending = this.pending.get(message.id);
      if (pending === undefined) return;
      this.pending.delete(message.id);
      if (message.ok) pending.resolve(message.result);
      else pending.reject(decodeStoreError(message.error));
    });
    channel.onClose(() => this.fail('the channel to the process holding the store closed'));
  }

  ping(): Promise<void> {
    return this.call('store', 'ping', []) as Promise<void>;
  }

  async close(): Promise<void> {
    this.stopListening();
    this.fail('the store is closed');
  }

  private slice(slice: StoreSlice): Record<string, (...args: unknown[]) => Promise<unknown>> {
    const methods: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const method of STORE_METHODS[slice]) methods[method] = (...args) => this.call(slice, method, args);
    return methods;
  }

  private async applyUsage(delta: UsageDelta): Promise<void> {
    let sent = this.deltas.get(delta);
    if (sent?.applied) return;
    if (sent === undefined) {
      sent = { id: this.nextId++, applied: false };
      this.deltas.set(delta, sent);
    }
    await this.call('usage', 'apply', [delta], sent.id);
    sent.applied = true;
  }

  private call(slice: StoreCall['slice'], method: string, args: unknown[], deltaId?: number): Promise<unknown> {
    if (this.closedBecause !== undefined)
      return Promise.reject(new StoreUnavailableError(new Error(this.closedBecause)));
    const id = this.nextId++;
    const call: StoreCall = {
      kind: STORE_CALL,
      id,
      slice,
      method,
      args,
      ...(deltaId === undefined ? {} : { deltaId }),
    };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.channel.send(call);
      } catch (error) {
        this.pending.delete(id);
        reject(new StoreUnavailableError(error));
      }
    });
  }

  private fail(reason: string): void {
    this.closedBecause ??= reason;
    for (const pending of this.pending.values()) pending.reject(new StoreUnavailableError(new Error(reason)));
    this.pending.clear();
  }
}
