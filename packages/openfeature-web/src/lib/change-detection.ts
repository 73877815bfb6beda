import type { ResolvedWebProviderOptions } from './options.js';
import type { ChangeStream, WebTransport } from './transport.js';

export interface ChangeDetectionCallbacks {
  /** Values may have changed: re-fetch them. */
  refresh(): void;
  /** The websocket dropped; it reconnects by itself. */
  disconnected(): void;
  /** The relay rejected the key: nothing will work until the page uses another one. */
  rejected(): void;
  /** Send buffered usage now; `pageHidden` when the page may be going away. */
  flushUsage(pageHidden: boolean): void;
}

/**
 * The provider's background work: the relay's websocket (or, without one, polling at
 * `pollIntervalMs`), the periodic usage flush, and the flush when the page is hidden.
 */
export class ChangeDetection {
  private stream: ChangeStream | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private flushTimer: ReturnType<typeof setInterval> | undefined;
  private readonly onVisibilityChange = (): void => {
    if (document.visibilityState === 'hidden') this.callbacks.flushUsage(true);
  };
  private readonly onPageHide = (): void => this.callbacks.flushUsage(true);

  constructor(
    private readonly transport: WebTransport,
    private readonly options: ResolvedWebProviderOptions,
    private readonly callbacks: ChangeDetectionCallbacks,
  ) {}

  start(withUsage: boolean): void {
    this.stop();
    this.stream = this.transport.openChangeStream({
      onFlagsChanged: () => this.callbacks.refresh(),
      // Also after reconnecting: changes made while disconnected were not pushed.
      onOpen: () => this.callbacks.refresh(),
      onClose: (fatal) => (fatal ? this.callbacks.rejected() : this.callbacks.disconnected()),
    });
    if (!this.stream) this.pollTimer = setInterval(() => this.callbacks.refresh(), this.options.pollIntervalMs);
    if (!withUsage) return;
    this.flushTimer = setInterval(() => this.callbacks.flushUsage(false), this.options.usageFlushIntervalMs);
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.onVisibilityChange);
    if (typeof window !== 'undefined') window.addEventListener('pagehide', this.onPageHide);
  }

  stop(): void {
    this.stream?.close();
    this.stream = undefined;
    clearInterval(this.pollTimer);
    clearInterval(this.flushTimer);
    this.pollTimer = undefined;
    this.flushTimer = undefined;
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.onVisibilityChange);
    if (typeof window !== 'undefined') window.removeEventListener('pagehide', this.onPageHide);
  }
}
