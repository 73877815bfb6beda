import type { Logger } from '@openfeature/server-sdk';
import type { UsageBatch } from '@switchyard/protocol';
import type { UsageOptions } from '../provider-options.js';
import { Backoff, SwitchyardHttpError, SwitchyardTransportError } from '@switchyard/protocol';
import { halveBatch, splitBatch } from './batch-split.js';
import { batchWeight, type UsageRecorder } from './usage-recorder.js';

interface PendingBatch {
  batch: UsageBatch;
  attempts: number;
}

/**
 * Ships the recorder's batches to the relay: every `flushIntervalMs`, or at once when
 * `flushAtEvents` events wait, each cut to `maxBatchBytes` and `maxBatchEntries`. One request at a
 * time; failures are retried with backoff, a batch the relay still finds too large (413) is halved
 * and sent again, and what cannot be kept is counted as dropped and reported in a later batch.
 */
export class UsageShipper {
  private readonly outbox: PendingBatch[] = [];
  private readonly backoff: Backoff;
  private intervalTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private closed = false;
  /** Causes of dropped batches already logged: a relay refusing every batch logs once, not every interval. */
  private readonly loggedDrops = new Set<string>();
  private loggedTooLarge = false;

  constructor(
    private readonly recorder: UsageRecorder,
    private readonly send: (batch: UsageBatch) => Promise<void>,
    private readonly options: UsageOptions,
    private readonly environment: () => string | undefined,
    private readonly logger: () => Logger,
  ) {
    this.backoff = new Backoff(options.retryBackoff);
  }

  /** Starts the interval; after `close`, starts shipping again (a provider can be initialized again). */
  start(): void {
    this.closed = false;
    if (this.intervalTimer !== undefined) return;
    this.intervalTimer = setInterval(() => void this.flush(), this.options.flushIntervalMs);
    this.intervalTimer.unref?.();
  }

  /** Called after an event was recorded: ships early when enough are waiting. */
  eventRecorded(): void {
    if (this.recorder.bufferedEvents >= this.options.flushAtEvents) void this.flush();
  }

  /** Cuts a batch of what was recorded and sends everything waiting; resolves when the outbox is drained or a send failed. */
  async flush(): Promise<void> {
    this.cutBatch();
    await this.drain();
  }

  /** Final flush, bounded by `timeoutMs`; stops the timers. What is still unsent afterwards is lost. */
  async close(timeoutMs: number): Promise<void> {
    clearInterval(this.intervalTimer);
    this.intervalTimer = undefined;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.cutBatch();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        timedOut = true;
        resolve();
      }, timeoutMs);
    });
    const drainAll = async () => {
      // Each pass sends, or fails once more on the first batch (which is then given up), so this ends.
      while (this.outbox.length > 0 && !timedOut) await this.drain(true);
    };
    await Promise.race([drainAll(), deadline]);
    clearTimeout(timer);
    this.closed = true;
    if (this.outbox.length > 0) {
      this.logger().warn(`Switchyard: ${this.outbox.length} usage batch(es) not delivered before close`);
    }
  }

  private cutBatch(): void {
    const batch = this.recorder.takeBatch(this.environment());
    if (batch === undefined) return;
    for (const part of splitBatch(batch, this.options)) {
      if (this.outbox.length >= this.options.maxPendingBatches) {
        const oldest = this.outbox.shift();
        if (oldest !== undefined) this.recorder.addDropped(batchWeight(oldest.batch));
      }
      this.outbox.push({ batch: part, attempts: 0 });
    }
  }

  /** On 413, replaces the first batch by its halves; false when it cannot be cut any further. */
  private halveTooLarge(pending: PendingBatch, error: unknown): boolean {
    if (!(error instanceof SwitchyardHttpError) || error.status !== 413) return false;
    const halves = halveBatch(pending.batch);
    if (halves === undefined) return false;
    if (!this.loggedTooLarge) {
      this.loggedTooLarge = true;
      this.logger().warn(
        "Switchyard: the relay refused a usage batch as too large (413); sending it in halves. Set usage.maxBatchBytes below the relay's SWITCHYARD_USAGE_MAX_BODY_BYTES",
      );
    }
    this.outbox.splice(0, 1, ...halves.map((batch) => ({ batch, attempts: 0 })));
    return true;
  }

  private drain(closing = false): Promise<void> {
    if (this.sending !== undefined) return this.sending;
    if (this.retryTimer !== undefined && !closing) return Promise.resolve();
    this.sending = this.sendAll(closing).finally(() => {
      this.sending = undefined;
    });
    return this.sending;
  }

  private async sendAll(closing: boolean): Promise<void> {
    for (let pending = this.outbox[0]; pending !== undefined; pending = this.outbox[0]) {
      pending.attempts += 1;
      try {
        await this.send(pending.batch);
      } catch (error) {
        if (this.halveTooLarge(pending, error)) continue;
        if (this.giveUp(pending, error, closing)) {
          this.outbox.shift();
          this.recorder.addDropped(batchWeight(pending.batch));
          continue;
        }
        if (!closing) this.scheduleRetry(error);
        return;
      }
      this.outbox.shift();
      this.backoff.reset();
    }
  }

  private giveUp(pending: PendingBatch, error: unknown, closing: boolean): boolean {
    const retriable = error instanceof SwitchyardTransportError ? error.retriable : true;
    if (!retriable || pending.attempts >= this.options.maxSendAttempts || (closing && pending.attempts > 1)) {
      const cause = error instanceof SwitchyardHttpError ? `HTTP ${error.status}` : String(error);
      if (!this.loggedDrops.has(cause)) {
        this.loggedDrops.add(cause);
        this.logger().error(
          `Switchyard: dropped a usage batch after ${pending.attempts} attempt(s) (${String(error)}); further drops for the same cause are only counted`,
        );
      }
      return true;
    }
    return false;
  }

  private scheduleRetry(error: unknown): void {
    if (this.closed) return;
    const retryAfter = error instanceof SwitchyardHttpError ? error.retryAfterMs : undefined;
    const delay = Math.max(retryAfter ?? 0, this.backoff.next());
    this.logger().warn(`Switchyard: usage batch not delivered (${String(error)}); retrying in ${delay} ms`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.drain();
    }, delay);
    this.retryTimer.unref?.();
  }
}
