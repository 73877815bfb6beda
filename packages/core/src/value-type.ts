import type { FlagValueType, JsonValue } from './model.js';

/**
 * Whether a value has a flag type: booleans, strings, finite numbers; `object` means a JSON
 * object or array (OpenFeature's structure). null matches no type.
 */
export function valueMatchesType(value: unknown, type: FlagValueType): boolean {
  switch (type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'object':
      return typeof value === 'object' && value !== null;
    default:
      return false;
  }
}

/** The flag type a value has, if any. */
export function valueTypeOf(value: JsonValue): FlagValueType | undefined {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return Number.isFinite(value) ? 'number' : undefined;
  if (typeof value === 'object' && value !== null) return 'object';
  return undefined;
}
