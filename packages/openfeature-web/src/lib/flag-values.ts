import type { JsonValue } from '@openfeature/web-sdk';

/** One flag's evaluated answer for the current context, as the relay's OFREP bulk endpoint sends it. */
export interface FlagAnswer {
  /** Absent: the relay has no value for this user, so the caller's default applies. */
  value?: JsonValue;
  variant?: string;
  reason?: string;
  errorCode?: string;
  errorDetails?: string;
  /** Whether the flag is on for this user (OFREP flag metadata `enabled`), for usage counts. */
  enabled?: boolean;
  /** The variant is the relay's `on`/`off`, no variant of the flag's own (metadata `reservedVariant`): no attribution. */
  reservedVariant?: boolean;
}

export type FlagValues = Record<string, FlagAnswer>;

interface OfrepBulkItem {
  key?: unknown;
  value?: JsonValue;
  variant?: unknown;
  reason?: unknown;
  errorCode?: unknown;
  errorDetails?: unknown;
  metadata?: Record<string, unknown>;
}

const optionalString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Turns an OFREP bulk evaluation body into answers by flag key; items without a key are skipped. */
export function toFlagValues(body: unknown): FlagValues {
  const flags = (body as { flags?: unknown } | null)?.flags;
  if (!Array.isArray(flags)) throw new TypeError('the relay answered without a flags array');
  const values: FlagValues = {};
  for (const item of flags as OfrepBulkItem[]) {
    if (typeof item?.key !== 'string') continue;
    const answer: FlagAnswer = {
      variant: optionalString(item.variant),
      reason: optionalString(item.reason),
      errorCode: optionalString(item.errorCode),
      errorDetails: optionalString(item.errorDetails),
    };
    if ('value' in item) answer.value = item.value;
    if (typeof item.metadata?.enabled === 'boolean') answer.enabled = item.metadata.enabled;
    if (item.metadata?.reservedVariant === true) answer.reservedVariant = true;
    values[item.key] = answer;
  }
  return values;
}

/** Keys whose answer was added, removed or differs between two sets of answers. */
export function changedFlagKeys(before: FlagValues, after: FlagValues): string[] {
  const changed: string[] = [];
  for (const key of Object.keys(after)) {
    if (!(key in before) || JSON.stringify(before[key]) !== JSON.stringify(after[key])) changed.push(key);
  }
  for (const key of Object.keys(before)) {
    if (!(key in after)) changed.push(key);
  }
  return changed;
}
