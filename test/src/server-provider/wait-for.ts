import type { EventDetails, ProviderEvents } from '@openfeature/server-sdk';

interface EventSource {
  addHandler(event: ProviderEvents, handler: (details?: EventDetails) => void): void;
  removeHandler(event: ProviderEvents, handler: (details?: EventDetails) => void): void;
}

/** The next `event` from a client or provider, or a rejection naming what was awaited after `timeoutMs`. */
export function nextEvent(
  source: EventSource,
  event: ProviderEvents,
  timeoutMs: number,
  accept: (details: EventDetails) => boolean = () => true,
): Promise<EventDetails> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      source.removeHandler(event, handler);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (details?: EventDetails) => {
      const received = details ?? ({} as EventDetails);
      if (!accept(received)) return;
      clearTimeout(timer);
      source.removeHandler(event, handler);
      resolve(received);
    };
    source.addHandler(event, handler);
  });
}

/** Polls `probe` until it returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms${last ? ` (last error: ${String(last)})` : ''}`);
}

/** Accepts a ConfigurationChanged event that names `flagName`. */
export function namesFlag(flagName: string): (details: EventDetails) => boolean {
  return (details) => (details as { flagsChanged?: string[] }).flagsChanged?.includes(flagName) ?? false;
}
