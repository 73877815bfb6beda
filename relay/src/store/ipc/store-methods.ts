import type { ApiKeyStore, AuditStore, FlagStore } from '../store.js';
import type { UsageStore } from '../usage/usage-store.js';

/** Every method of a slice, checked by the compiler: a method added to the interface must be listed here. */
type Methods<T> = Record<keyof T, true>;

const METHODS: {
  flags: Methods<FlagStore>;
  apiKeys: Methods<ApiKeyStore>;
  audit: Methods<AuditStore>;
  usage: Methods<UsageStore>;
} = {
  flags: {
    list: true,
    get: true,
    history: true,
    create: true,
    update: true,
    delete: true,
    changesSince: true,
    currentRevision: true,
    oldestRevision: true,
    pruneHistory: true,
  },
  apiKeys: { create: true, get: true, findBySecretHash: true, list: true, revoke: true, markUsed: true },
  audit: { append: true, list: true, prune: true },
  usage: { apply: true, buckets: true, uniqueSets: true, lastEvaluations: true, deleteBefore: true },
};

/** What the IPC store forwards of each slice of the Store interface, and nothing else. */
export const STORE_METHODS = Object.fromEntries(
  Object.entries(METHODS).map(([slice, methods]) => [slice, Object.keys(methods)]),
) as unknown as Record<keyof typeof METHODS, readonly string[]>;

export type StoreSlice = keyof typeof STORE_METHODS;

/** A call of one store method, or `ping` of the whole store (slice `store`). */
export interface StoreCall {
  kind: typeof STORE_CALL;
  id: number;
  slice: StoreSlice | 'store';
  method: string;
  args: unknown[];
  /** usage.apply only: the caller's number for this delta object, the same on every retry of it. */
  deltaId?: number;
}

export type StoreReply = { kind: typeof STORE_REPLY; id: number } & (
  { ok: true; result: unknown } | { ok: false; error: EncodedStoreError }
);

export interface EncodedStoreError {
  name: string;
  message: string;
  /** The typed error's own fields (flagName, expectedVersion, …). */
  fields: Record<string, unknown>;
}

export const STORE_CALL = 'switchyard-store-call';
export const STORE_REPLY = 'switchyard-store-reply';

/** Whether `method` is one the slice forwards (the server calls nothing else). */
export function isForwarded(slice: string, method: string): boolean {
  if (slice === 'store') return method === 'ping';
  const methods = (STORE_METHODS as Record<string, readonly string[]>)[slice];
  return methods !== undefined && methods.includes(method);
}
