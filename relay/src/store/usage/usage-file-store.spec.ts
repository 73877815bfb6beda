import { mkdtemp, rm, stat, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USAGE_JOURNAL_FILE, UsageFileStore } from './usage-file-store.js';
import { usageStoreContract } from '../contracts/usage-store-contract.js';
import { emptyCounters } from './usage-store.js';
import { encodeJournalLine } from '../file/journal.js';

describe('UsageFileStore', () => {
  let dataDir: string;
  let store: UsageFileStore | undefined;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'switchyard-usage-'));
    store = await UsageFileStore.open(dataDir);
  });
  afterEach(async () => {
    await store?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  usageStoreContract(() => store!);

  const delta = {
    counters: [
      {
        flagName: 'checkout',
        environment: 'production',
        hourStart: '2026-11-24T10:00:00.000Z',
        ...emptyCounters(),
        evaluations: { on: { enabled: 2, disabled: 1 } },
      },
    ],
    uniques: [],
    exactLimit: 100,
  };
  const range = { from: '2026-11-24T00:00:00.000Z', to: '2026-11-25T00:00:00.000Z' };

  it('when reopened without closing, then the journal replays every applied delta', async () => {
    await store!.apply({ ...delta });
    await store!.apply({ ...delta });
    const reopened = await UsageFileStore.open(dataDir);
    expect((await reopened.buckets(range))[0]?.evaluations).toEqual({ on: { enabled: 4, disabled: 2 } });
    await reopened.close();
  });

  it('when closed and reopened, then the snapshot holds everything and the journal is empty', async () => {
    await store!.apply({ ...delta });
    await store!.close();
    store = await UsageFileStore.open(dataDir);
    expect((await stat(join(dataDir, USAGE_JOURNAL_FILE))).size).toBe(0);
    expect((await store.buckets(range))[0]?.evaluations).toEqual({ on: { enabled: 2, disabled: 1 } });
  });

  it('when the journal holds outcomes stored with a sum of squares (before M2), then they read and merge', async () => {
    await store!.close();
    // Values 10 and 20 as written before the spread was kept as M2: Σx² = 500.
    const legacy = {
      ...delta.counters[0],
      evaluations: {},
      outcomes: { conversion: { blue: { count: 2, valueCount: 2, valueSum: 30, valueSumOfSquares: 500 } } },
    };
    await appendFile(
      join(dataDir, USAGE_JOURNAL_FILE),
      encodeJournalLine({
        sequence: 1,
        mutation: { counters: [legacy], uniques: [], exactLimit: 100 },
      }),
    );
    store = await UsageFileStore.open(dataDir);
    const more = {
      ...delta.counters[0],
      evaluations: {},
      outcomes: { conversion: { blue: { count: 1, valueCount: 1, valueSum: 15, valueSquaredDeviations: 0 } } },
    };
    await store.apply({ counters: [more], uniques: [], exactLimit: 100 });
    expect((await store.buckets(range))[0]?.outcomes).toEqual({
      conversion: { blue: { count: 3, valueCount: 3, valueSum: 45, valueSquaredDeviations: 50 } },
    });
  });

  it('when the journal ends in a torn line, then the intact deltas load and the tail is cut', async () => {
    await store!.apply({ ...delta });
    await appendFile(join(dataDir, USAGE_JOURNAL_FILE), '0badc0de {"sequence":9');
    const reopened = await UsageFileStore.open(dataDir);
    expect((await reopened.buckets(range))[0]?.evaluations).toEqual({ on: { enabled: 2, disabled: 1 } });
    await reopened.apply({ ...delta });
    await reopened.close();
  });

  it('when journal and snapshot pass the compaction threshold, then state survives compaction', async () => {
    await store!.close();
    store = await UsageFileStore.open(dataDir, 1);
    await store.apply({ ...delta });
    await store.apply({ ...delta });
    expect((await stat(join(dataDir, USAGE_JOURNAL_FILE))).size).toBe(0);
    const reopened = await UsageFileStore.open(dataDir);
    expect((await reopened.buckets(range))[0]?.evaluations).toEqual({ on: { enabled: 4, disabled: 2 } });
    await reopened.close();
  });
});
