import type { EvaluationCount, UsageBatch } from './usage-payloads.js';

/** Bounds of one `POST /api/v1/usage` body, kept below the relay's limits so it is never refused for its size. */
export interface UsageBatchBounds {
  /** UTF-8 bytes of the JSON body (relay: SWITCHYARD_USAGE_MAX_BODY_BYTES). */
  maxBatchBytes: number;
  /** Evaluations + errors + events (relay: SWITCHYARD_USAGE_MAX_ENTRIES_PER_BATCH). */
  maxBatchEntries: number;
  /** Evaluation counts carrying a `userSketch` (relay: SWITCHYARD_USAGE_MAX_SKETCHES_PER_BATCH); unbounded when absent. */
  maxBatchSketches?: number;
}

/** Cuts one evaluation count that alone exceeds `room` bytes into several; absent: counts are never cut. */
export type CountSplitter = (entry: EvaluationCount, room: number) => EvaluationCount[];

type Entries = Required<Pick<UsageBatch, 'evaluations' | 'errors' | 'events'>>;

/** UTF-8 bytes of `value` as JSON (what the relay's body limits count). */
export const jsonBytes = (value: unknown): number => utf8Length(JSON.stringify(value) ?? '');

/** UTF-8 length of a string, without encoding it (JSON.stringify escapes lone surrogates, so pairs are whole). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
const noEntries = (): Entries => ({ evaluations: [], errors: [], events: [] });

/**
 * Cuts `batch` into batches within `bounds`, entries in order; the first carries `dropped`. Each
 * part fits unless a single entry does not (senders bound names, ids and metadata far lower; an
 * evaluation count can be cut further by `splitCount`).
 */
export function splitUsageBatch(batch: UsageBatch, bounds: UsageBatchBounds, splitCount?: CountSplitter): UsageBatch[] {
  const envelope = jsonBytes({ ...batch, ...noEntries() });
  const room = bounds.maxBatchBytes - envelope;
  const parts: Entries[] = [noEntries()];
  let size = envelope;
  let entries = 0;
  let sketches = 0;
  const maxSketches = bounds.maxBatchSketches ?? Number.POSITIVE_INFINITY;
  const add = (key: keyof Entries, entry: unknown): void => {
    // +1: the comma before it.
    const entrySize = jsonBytes(entry) + 1;
    const sketch = (entry as EvaluationCount).userSketch === undefined ? 0 : 1;
    if (
      entries > 0 &&
      (size + entrySize > bounds.maxBatchBytes || entries >= bounds.maxBatchEntries || sketches + sketch > maxSketches)
    ) {
      parts.push(noEntries());
      size = envelope;
      entries = 0;
      sketches = 0;
    }
    (parts.at(-1)![key] as unknown[]).push(entry);
    size += entrySize;
    entries += 1;
    sketches += sketch;
  };
  for (const entry of batch.evaluations ?? [])
    for (const piece of splitCount ? splitCount(entry, room) : [entry]) add('evaluations', piece);
  for (const entry of batch.errors ?? []) add('errors', entry);
  for (const entry of batch.events ?? []) add('events', entry);
  return parts.map((part, index) => ({ ...batch, ...part, dropped: index === 0 ? (batch.dropped ?? 0) : 0 }));
}

/** Evaluations + errors + events of a batch. */
export function usageBatchEntries(batch: UsageBatch): number {
  return (batch.evaluations?.length ?? 0) + (batch.errors?.length ?? 0) + (batch.events?.length ?? 0);
}
