/**
 * Milliseconds to wait from an HTTP `Retry-After` header: delay-seconds or an HTTP date (RFC 9110
 * §10.2.3). Undefined when the header is absent or unreadable, so the caller's backoff applies;
 * never negative (a date in the past means now).
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
