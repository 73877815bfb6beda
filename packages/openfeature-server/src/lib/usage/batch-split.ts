import {
  jsonBytes,
  splitUsageBatch,
  usageBatchEntries,
  type EvaluationCount,
  type UsageBatch,
  type UsageBatchBounds,
} from '@switchyard/protocol';

/**
 * Cuts `batch` into batches within `bounds` (see @switchyard/protocol's splitUsageBatch); an
 * evaluation count whose user ids alone exceed the bound is cut too (see `splitUserIds`), so
 * every part fits unless a single event or error does (names and metadata are bounded far lower).
 */
export function splitBatch(batch: UsageBatch, bounds: UsageBatchBounds): UsageBatch[] {
  return splitUsageBatch(batch, bounds, splitUserIds);
}

/**
 * The safety net when the relay still answers 413 (its limit set below ours): the batch in two
 * halves by entries, or a lone evaluation count cut by user ids; undefined when it cannot be cut.
 */
export function halveBatch(batch: UsageBatch): UsageBatch[] | undefined {
  const entries = usageBatchEntries(batch);
  if (entries >= 2)
    return splitUsageBatch(batch, { maxBatchBytes: Number.POSITIVE_INFINITY, maxBatchEntries: Math.ceil(entries / 2) });
  const lone = batch.evaluations?.[0];
  if (lone === undefined || (lone.userIds?.length ?? 0) < 2) return undefined;
  return splitUserIds(lone, Math.ceil(jsonBytes(lone) / 2)).map((piece, index) => ({
    ...batch,
    evaluations: [piece],
    dropped: index === 0 ? (batch.dropped ?? 0) : 0,
  }));
}

/**
 * An evaluation count larger than `room` bytes as several counts of the same flag, variant and
 * period, each with a share of the user ids. Each piece counts as many evaluations as it has users
 * and the first also the rest, so the total is exact and no piece names more users than it counts
 * (the relay refuses that).
 */
function splitUserIds(entry: EvaluationCount, room: number): EvaluationCount[] {
  const ids = entry.userIds;
  if (ids === undefined || ids.length < 2 || jsonBytes(entry) < room) return [entry];
  const base = jsonBytes({ ...entry, count: entry.count, userIds: [] });
  const shares: string[][] = [];
  let share: string[] = [];
  let size = base;
  for (const id of ids) {
    const idSize = jsonBytes(id) + 1;
    if (share.length > 0 && size + idSize > room) {
      shares.push(share);
      share = [];
      size = base;
    }
    share.push(id);
    size += idSize;
  }
  shares.push(share);
  const others = ids.length - shares[0]!.length;
  return shares.map((userIds, index) => ({
    ...entry,
    count: index === 0 ? Math.max(entry.count - others, userIds.length) : userIds.length,
    userIds,
  }));
}
