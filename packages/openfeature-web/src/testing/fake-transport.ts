import type { EvaluationContext } from '@openfeature/web-sdk';
import type { UsageBatch } from '@switchyard/protocol';
import type { FlagValues } from '../lib/flag-values.js';
import type { ChangeStream, ChangeStreamHandlers, ValuesAnswer, WebTransport } from '../lib/transport.js';

interface PendingFetch {
  context: EvaluationContext;
  etag: string | undefined;
  signal: AbortSignal | undefined;
  resolve(answer: ValuesAnswer): void;
  reject(error: unknown): void;
}

/**
 * A transport for the provider's unit tests: every fetch waits until the test answers it, so
 * tests decide the order answers arrive in. Not exported from the package.
 */
export class FakeTransport implements WebTransport {
  readonly fetches: PendingFetch[] = [];
  readonly usage: UsageBatch[] = [];
  handlers: ChangeStreamHandlers | undefined;
  streamClosed = false;
  /** Answer every fetch at once with these values instead of waiting. */
  autoAnswer: ((context: EvaluationContext, etag: string | undefined) => ValuesAnswer) | undefined;

  constructor(private readonly withStream = true) {}

  fetchValues(context: EvaluationContext, etag: string | undefined, signal?: AbortSignal): Promise<ValuesAnswer> {
    if (this.autoAnswer) return Promise.resolve(this.autoAnswer(context, etag));
    return new Promise((resolve, reject) => this.fetches.push({ context, etag, signal, resolve, reject }));
  }

  openChangeStream(handlers: ChangeStreamHandlers): ChangeStream | undefined {
    if (!this.withStream) return undefined;
    this.handlers = handlers;
    return { close: () => (this.streamClosed = true) };
  }

  async sendUsage(batch: UsageBatch): Promise<void> {
    this.usage.push(batch);
  }

  /** Answers the oldest unanswered fetch. */
  answer(values: FlagValues, etag = JSON.stringify(values)): void {
    this.take().resolve({ changed: true, values, etag });
  }

  answerUnchanged(): void {
    this.take().resolve({ changed: false });
  }

  fail(error: unknown): void {
    this.take().reject(error);
  }

  private take(): PendingFetch {
    const next = this.fetches.shift();
    if (!next) throw new Error('no fetch is waiting for an answer');
    return next;
  }
}
