import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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

  it('when a relay restarts with SWITCHYARD_AUDIT_MAX_ENTRIES and SWITCHYARD_HISTORY_MAX_VERSIONS, then it starts within them, and the last change still rolls back', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-retention-'));
    try {
      t = await startTestRelay({}, dataDir);
      const adminKey = t.adminKey;
      expect((await t.call('POST', '/api/v1/feature-flags', { body: sampleFlag('kept') })).status).toBe(201);
      for (const version of [1, 2, 3, 4]) {
        const body = sampleFlag('kept', { description: `v${version + 1}`, version });
        const put = await t.call('PUT', '/api/v1/feature-flags/kept', { body });
        expect(put.status, put.text).toBe(200);
      }
      await t.stop();
      t = await startTestRelay({ adminKey, auditMaxEntries: 3, historyMaxVersions: 2 }, dataDir);
      expect((await t.call('GET', '/api/v1/audit')).body.entries).toHaveLength(3);
      const history = await t.call('GET', '/api/v1/feature-flags/kept/history');
      expect(history.body.versions.map((flag: { version: number }) => flag.version)).toEqual([4, 5]);
      const rollback = await t.call('POST', '/api/v1/feature-flags/kept/rollback', {
        body: { version: 4, expectedVersion: 5 },
      });
      expect(rollback.status).toBe(200);
      expect(rollback.body).toMatchObject({ version: 6, description: 'v4' });
      const gone = await t.call('POST', '/api/v1/feature-flags/kept/rollback', { body: { version: 1 } });
      expect(gone.status).toBe(404);
    } finally {
      await t?.stop();
      t = undefined;
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
