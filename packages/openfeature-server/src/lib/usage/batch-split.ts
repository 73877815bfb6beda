import type { EvaluationCount, UsageBatch } from '@switchyard/protocol';

/** Bounds of one `POST /api/v1/usage` body, kept below the relay's limits so it is never refused for its size. */
export interface UsageBatchBounds {
  /** UTF-8 bytes of the JSON body (relay: SWITCHYARD_USAGE_MAX_BODY_BYTES). */
  maxBatchBytes: number;
  /** Evaluations + errors + events (relay: SWITCHYARD_USAGE_MAX_ENTRIES_PER_BATCH). */
  maxBatchEntries: number;
}

type Entries = Required<Pick<UsageBatch, 'evaluations' | 'errors' | 'events'>>;
type EntryKey = keyof Entries;

const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));
const noEntries = (): Entries => ({ evaluations: [], errors: [], events: [] });

/**
 * Cuts `batch` into batches within `bounds`, entries in order; the first carries `dropped`. An
 * evaluation count whose user ids alone exceed the bound is cut too (see `splitUserIds`), so
 * every part fits unless a single event or error does (names and metadata are bounded far lower).
 */
export function splitBatch(batch: UsageBatch, bounds: UsageBatchBounds): UsageBatch[] {
  const envelope = jsonBytes({ ...batch, ...noEntries() });
  const room = bounds.maxBatchBytes - envelope;
  const parts: Entries[] = [noEntries()];
  let size = envelope;
  let entries = 0;
  const add = (key: EntryKey, entry: unknown, entrySize: number): void => {
    if (entries > 0 && (size + entrySize > bounds.maxBatchBytes || entries >= bounds.maxBatchEntries)) {
      parts.push(noEntries());
      size = envelope;
      entries = 0;
    }
    (parts.at(-1)![key] as unknown[]).push(entry);
    size += entrySize;
    entries += 1;
  };
  // +1 per entry: the comma before it.
  for (const entry of batch.evaluations ?? []) {
    for (const piece of splitUserIds(entry, room)) add('evaluations', piece, jsonBytes(piece) + 1);
  }
  for (const entry of batch.errors ?? []) add('errors', entry, jsonBytes(entry) + 1);
  for (const entry of batch.events ?? []) add('events', entry, jsonBytes(entry) + 1);
  return parts.map((part, index) => ({ ...batch, ...part, dropped: index === 0 ? (batch.dropped ?? 0) : 0 }));
}

/**
 * The safety net when the relay still answers 413 (its limit set below ours): the batch in two
 * halves by entries, or a lone evaluation count cut by user ids; undefined when it cannot be cut.
 */
export function halveBatch(batch: UsageBatch): UsageBatch[] | undefined {
  const entries = batchEntries(batch);
  if (entries >= 2) return splitBatch(batch, { maxBatchBytes: Number.POSITIVE_INFINITY, maxBatchEntries: Math.ceil(entries / 2) });
  const lone = batch.evaluations?.[0];
  if (lone === undefined || (lone.userIds?.length ?? 0) < 2) return undefined;
  return splitUserIds(lone, Math.ceil(jsonBytes(lone) / 2)).map((piece, index) => ({
    ...batch,
    evaluations: [piece],
    dropped: index === 0 ? (batch.dropped ?? 0) : 0,
  }));
}

export function batchEntries(batch: UsageBatch): number {
  return (batch.evaluations?.length ?? 0) + (batch.errors?.length ?? 0) + (batch.events?.length ?? 0);
}

/**
 * An evaluation count larger than `room` bytes as several counts of the same flag, variant and
 * period, each with a share of the user ids: the first keeps the count, the others count 0 and
 * only add users (the relay accepts count 0), so totals and unique users stay exact.
 */
function splitUserIds(entry: EvaluationCount, room: number): EvaluationCount[] {
  const ids = entry.userIds;
  if (ids === undefined || ids.length < 2 || jsonBytes(entry) < room) return [entry];
  const base = jsonBytes({ ...entry, userIds: [] });
  const pieces: EvaluationCount[] = [];
  let share: string[] = [];
  let size = base;
  const cut = (): void => {
    pieces.push({ ...entry, count: pieces.length === 0 ? entry.count : 0, userIds: share });
    share = [];
    size = base;
  };
  for (const id of ids) {
    const idSize = jsonBytes(id) + 1;
    if (share.length > 0 && size + idSize > room) cut();
    share.push(id);
    size += idSize;
  }
  cut();
  return pieces;
}
