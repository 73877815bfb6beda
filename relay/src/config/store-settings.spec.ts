import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../http/testing/test-relay.js';
import { JOURNAL_FILE, SNAPSHOT_FILE } from '../store/file/file-store.js';
import { sampleFlag } from '../testing/sample-flag.js';

/** The store settings reach the store of a running relay (docs/configuration.md, "Storage"). */
describe('store settings on a running relay', () => {
  let t: TestRelay | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it('when SWITCHYARD_CHANGE_LOG_RETENTION is 100, then the 101st change prunes the oldest', async () => {
    t = await startTestRelay({ changeLogRetention: 100 });
    for (let i = 0; i < 101; i += 1) await t.relay.store.flags.create(sampleFlag(`retained-${i}`));
    expect(await t.relay.store.flags.oldestRevision()).toBeGreaterThan(0);
    expect(await t.relay.store.flags.changesSince(0, 1000)).toHaveLength(100);
  });

  it('when SWITCHYARD_COMPACTION_THRESHOLD_BYTES is 64 KiB, then a larger journal is compacted into the snapshot while running', async () => {
    t = await startTestRelay({ compactionThresholdBytes: 64 * 1024 });
    const description = 'd'.repeat(4000);
    for (let i = 0; i < 40; i += 1) await t.relay.store.flags.create(sampleFlag(`compacted-${i}`, { description }));
    const snapshot = await stat(join(t.dataDir, SNAPSHOT_FILE));
    const journal = await stat(join(t.dataDir, JOURNAL_FILE));
    expect(snapshot.size).toBeGreaterThan(64 * 1024);
    expect(journal.size).toBeLessThan(64 * 1024);
  });
});
