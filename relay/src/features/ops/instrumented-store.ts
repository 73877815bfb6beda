import { FlagExistsError, FlagNotFoundError, VersionConflictError } from '../../store/store-errors.js';
import type { Store } from '../../store/store.js';
import type { RelayMetrics } from './relay-metrics.js';

/** `switchyard_store_errors_total`. */
type StoreErrors = RelayMetrics['storeErrors'];

/** Answers the store gives by design; not failures of the store. */
const EXPECTED = [FlagExistsError, FlagNotFoundError, VersionConflictError];
/** Not counted: closing is not an operation a failure of which says anything about the store's health. */
const UNCOUNTED = new Set<PropertyKey>(['close']);

/** Told of each failed operation (the store's health watch). */
export type FailureListener = (error: unknown) => void;

/**
 * The same store, counting every failed operation in `switchyard_store_errors_total` by
 * `<slice>.<method>` (or `ping`) and error code, and telling `onFailure`. Every slice is wrapped,
 * whichever slices the store has, so a slice added later is counted too.
 */
export function instrumentStore<S extends Store>(
  store: S,
  errors: StoreErrors,
  onFailure: FailureListener = () => undefined,
): S {
  return instrument(store, '', errors, onFailure);
}

function instrument<T extends object>(target: T, prefix: string, errors: StoreErrors, onFailure: FailureListener): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(object, property) {
      if (wrapped.has(property)) return wrapped.get(property);
      const value: unknown = Reflect.get(object, property);
      const name = `${prefix}${String(property)}`;
      let result: unknown;
      if (typeof value === 'function') {
        const method = value as (...args: unknown[]) => unknown;
        result = UNCOUNTED.has(property)
          ? method.bind(object)
          : (...args: unknown[]) => counted(name, () => method.apply(object, args), errors, onFailure);
      } else if (typeof value === 'object' && value !== null && prefix === '') {
        result = instrument(value, `${name}.`, errors, onFailure);
      } else {
        return value;
      }
      wrapped.set(property, result);
      return result;
    },
  });
}

function counted(operation: string, call: () => unknown, errors: StoreErrors, onFailure: FailureListener): unknown {
  const count = (error: unknown) => {
    if (!EXPECTED.some((type) => error instanceof type)) {
      onFailure(error);
      const code =
        typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'UNKNOWN';
      errors.inc({ operation, code });
    }
    throw error;
  };
  try {
    const result = call();
    return result instanceof Promise ? result.catch(count) : result;
  } catch (error) {
    return count(error);
  }
}
