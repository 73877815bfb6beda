import {
  ApiKeyExistsError,
  AuditEntryNotFoundError,
  FlagExistsError,
  FlagNotFoundError,
  StoreUnavailableError,
  VersionConflictError,
} from '../store-errors.js';
import type { EncodedStoreError } from './store-methods.js';

/** A store error as it crosses the channel: its class name, message and own fields. */
export function encodeStoreError(error: unknown): EncodedStoreError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  }
  if (error.cause instanceof Error) fields.cause = error.cause.message;
  return { name: error.name, message: error.message, fields };
}

/** The typed store error again (so callers' `instanceof` checks hold), else a plain Error with the message. */
export function decodeStoreError(encoded: EncodedStoreError): Error {
  const { flagName, expectedVersion, actualVersion, id, cause } = encoded.fields as {
    flagName: string;
    expectedVersion: number;
    actualVersion: number;
    id: string;
    cause?: string;
  };
  switch (encoded.name) {
    case 'FlagExistsError':
      return new FlagExistsError(flagName);
    case 'FlagNotFoundError':
      return new FlagNotFoundError(flagName);
    case 'VersionConflictError':
      return new VersionConflictError(flagName, expectedVersion, actualVersion);
    case 'ApiKeyExistsError':
      return new ApiKeyExistsError(id);
    case 'AuditEntryNotFoundError':
      return new AuditEntryNotFoundError(id);
    case 'StoreUnavailableError':
      return new StoreUnavailableError(new Error(cause ?? encoded.message));
    case 'TypeError':
      return new TypeError(encoded.message);
    case 'RangeError':
      return new RangeError(encoded.message);
    default: {
      const error = new Error(encoded.message);
      error.name = encoded.name;
      return error;
    }
  }
}
