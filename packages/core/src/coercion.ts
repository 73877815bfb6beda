/**
 * How context values are read as numbers, dates and strings. Shared by validation (for rule
 * values) and evaluation (for context attributes) so both agree on what parses.
 */

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-]\d{2}):?(\d{2}))?)?$/;
/** Strings longer than this are never numbers or dates (and are not scanned as such). */
const MAX_PARSED_LENGTH = 64;

/** A decimal number written as a string (`"42"`, `"-1.5"`, `"1e3"`); hex, blanks and `""` are not. */
export function numericString(text: string): number | undefined {
  if (text.length > MAX_PARSED_LENGTH || !DECIMAL.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Milliseconds since the epoch of an ISO 8601 date (`2024-01-31`) or date-time
 * (`2024-01-31T12:00:00Z`). A date-time without an offset is read as UTC, so the answer
 * never depends on the machine's time zone.
 */
export function parseIsoDate(text: string): number | undefined {
  if (text.length > MAX_PARSED_LENGTH) return undefined;
  const m = ISO_DATE.exec(text);
  if (m === null || !validCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
  let normalized = `${m[1]}-${m[2]}-${m[3]}`;
  if (m[4] !== undefined) {
    const fraction = m[7] === undefined ? '000' : m[7].slice(0, 3).padEnd(3, '0');
    const offset = m[9] === undefined ? 'Z' : `${m[9]}:${m[10]}`;
    normalized += `T${m[4]}:${m[5]}:${m[6] ?? '00'}.${fraction}${offset}`;
  }
  const ms = Date.parse(normalized);
  return Number.isNaN(ms) ? undefined : ms;
}

// Some engines roll `2024-02-31` over into March; we refuse it everywhere instead.
function validCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days;
}

/** A context value as a number: numbers, numeric strings and Dates (epoch milliseconds). */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : value;
  if (typeof value === 'string') return numericString(value);
  if (value instanceof Date) return dateMs(value);
  return undefined;
}

/** A context value as epoch milliseconds: Dates, numbers (milliseconds) and ISO 8601 strings. */
export function toEpochMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') return parseIsoDate(value);
  if (value instanceof Date) return dateMs(value);
  return undefined;
}

function dateMs(date: Date): number | undefined {
  const ms = date.getTime();
  return Number.isNaN(ms) ? undefined : ms;
}
