import { FlagExistsError, FlagNotFoundError, VersionConflictError } from '../../store/store-errors.js';
import type { Store } from '../../store/store.js';
import type { Counter } from './metrics-registry.js';

/** Answers the store gives by design; not failures of the store. */
const EXPECTED = [FlagExistsError, FlagNotFoundError, VersionConflictError];

/**
 * The same store, counting every failed operation in `switchyard_store_errors_total` by
 * `<slice>.<method>` and error code. Nothing else changes.
 */
export function instrumentStore(store: Store, errors: Counter): Store {
  return {
    flags: instrumentSlice('flags', store.flags, errors),
    apiKeys: instrumentSlice('apiKeys', store.apiKeys, errors),
    audit: instrumentSlice('audit', store.audit, errors),
    ping: () => counted('ping', () => store.ping(), errors),
    close: () => store.close(),
  };
}

function instrumentSlice<T extends object>(slice: string, target: T, errors: Counter): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      const operation = `${slice}.${String(property)}`;
      return (...args: unknown[]) => counted(operation, () => (value as (...a: unknown[]) => Promise<unknown>).apply(object, args), errors);
    },
  });
}

async function counted<R>(operation: string, call: () => Promise<R>, errors: Counter): Promise<R> {
  try {
    return await call();
  } catch (error) {
    if (!EXPECTED.some((type) => error instanceof type)) {
      const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'UNKNOWN';
      errors.inc([operation, code]);
    }
    throw error;
  }
}
