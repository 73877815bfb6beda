import type { EvaluationContext } from '@openfeature/web-sdk';
import type { UsageBatch } from '@switchyard/protocol';
import type { FlagValues } from './flag-values.js';

/** The relay's answer to "every value for this context": new values, or unchanged since `etag`. */
export type ValuesAnswer = { changed: true; values: FlagValues; etag?: string } | { changed: false };

export interface ChangeStreamHandlers {
  /** The relay says these flags changed (their values for this user may or may not have). */
  onFlagsChanged(flagNames: string[]): void;
  /** Connected, or reconnected after a drop: changes may have been missed meanwhile. */
  onOpen(): void;
  /** Dropped; `fatal` when the relay rejected the key, which stops reconnecting. */
  onClose(fatal: boolean): void;
}

export interface ChangeStream {
  close(): void;
}

/**
 * What the provider needs from the network. The default talks to a Switchyard relay
 * (`RelayTransport`); tests and unusual environments inject their own.
 */
export interface WebTransport {
  /** One request for every flag's value for `context`; `etag` makes it conditional; `signal` aborts it (the provider closed). */
  fetchValues(context: EvaluationContext, etag: string | undefined, signal?: AbortSignal): Promise<ValuesAnswer>;
  /** Opens push notifications, or returns undefined when this environment cannot (then the provider polls). */
  openChangeStream(handlers: ChangeStreamHandlers): ChangeStream | undefined;
  /** Ships usage; `pageHidden` asks for a delivery that survives the page going away. */
  sendUsage(batch: UsageBatch, pageHidden: boolean): Promise<void>;
}
