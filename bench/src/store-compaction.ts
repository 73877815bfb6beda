import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { markdownTable } from './measure.js';
import { loadTest, type LoadResult } from './relay/autocannon.js';
import { ADMIN_KEY, premiumThenQuarterFlag, REQUEST as EVALUATE } from './relay/relay-http-bench.js';
import { startRelayProcess, type RelayProcess } from './relay-process.js';

const FLAG = premiumThenQuarterFlag('checkout-redesign');

export const STORE_BENCH_PACKAGES = ['@switchyard/relay', 'autocannon'];

const AUDIT_ENTRIES = 100_000;
const SECONDS = 10;
const CONNECTIONS = 16;
/** The smallest threshold the relay accepts: with the writer below, a compaction every few writes. */
const COMPACTION_THRESHOLD_BYTES = 64 * 1024;
const MiB = 1024 * 1024;

/**
 * A data directory whose snapshot holds `entries` audit entries, each a flag update with the flag before
 * and after (as the relay writes them), in the documented snapshot format (docs/storage.md): filling it
 * through the API would take one fsync per entry.
 */
function dataDirWithAudit(entries: number): { dataDir: string; stringifyMs: number } {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-store-'));
  const start = Date.now() - entries * 1000;
  const stored = (version: number) => ({
    ...FLAG,
    name: `flag-${version % 200}`,
    version,
    revision: version,
    createdAt: new Date(start).toISOString(),
    updatedAt: new Date(start + version * 1000).toISOString(),
  });
  const audit = Array.from({ length: entries }, (_, index) => ({
    id: `bench-${index.toString(16).padStart(8, '0')}`,
    at: new Date(start + index * 1000).toISOString(),
    actor: 'bench admin',
    actorKeyId: '147c9c9655250eca',
    actorRole: 'admin',
    action: 'flag.update',
    flagName: `flag-${index % 200}`,
    before: stored(index + 1),
    after: stored(index + 2),
  }));
  const snapshot = {
    format: 1,
    lastSequence: 0,
    revision: 0,
    oldestRevision: 0,
    flags: [],
    history: [],
    changes: [],
    apiKeys: [],
    audit,
  };
  const started = process.hrtime.bigint();
  const text = JSON.stringify(snapshot);
  const stringifyMs = Number(process.hrtime.bigint() - started) / 1e6;
  writeFileSync(join(dataDir, 'snapshot.json'), text);
  return { dataDir, stringifyMs };
}

function evaluateLoad(relay: RelayProcess): Promise<LoadResult> {
  return loadTest({
    url: `${relay.url}/api/v1/feature-flags/evaluate`,
    body: EVALUATE,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    seconds: SECONDS,
    connections: CONNECTIONS,
  });
}

/** Updates one flag in a loop (each update and its audit entry ~10 KB of journal) until `stop()`; counts snapshot renames. */
function writeAndCompact(relay: RelayProcess, dataDir: string) {
  let running = true;
  let writes = 0;
  let compactions = 0;
  let ticks = 0;
  let ticksWriting = 0;
  const snapshot = join(dataDir, 'snapshot.json');
  let inode = statSync(snapshot).ino;
  const watch = setInterval(() => {
    ticks += 1;
    if (existsSync(`${snapshot}.tmp`)) ticksWriting += 1;
    const now = statSync(snapshot, { throwIfNoEntry: false })?.ino;
    if (now !== undefined && now !== inode) {
      compactions += 1;
      inode = now;
    }
  }, 20);
  const loop = (async () => {
    const padding = 'x'.repeat(3000);
    for (let version = 1; running; version += 1) {
      await relay.api('PUT', `/api/v1/feature-flags/${FLAG.name}`, {
        ...FLAG,
        description: `${String(FLAG.description)} ${version} ${padding}`,
        version,
      });
      writes += 1;
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      clearInterval(watch);
      return { writes, compactions, writingShare: ticks === 0 ? 0 : ticksWriting / ticks };
    },
  };
}

function megabytes(bytes: number): string {
  return (bytes / MiB).toFixed(1);
}

function loadRow(name: string, result: LoadResult, note: string): (string | number)[] {
  return [
    name,
    Math.round(result.requestsPerSecond),
    result.p50Ms,
    result.p99Ms,
    result.maxMs,
    result.errors + result.non2xx,
    note,
  ];
}

/**
 * The embedded store with 100,000 audit entries: evaluate latency with and without compactions running,
 * the snapshot's size and the relay's RSS after a restart, with retention off and at its defaults.
 */
export async function runStoreCompactionBench(): Promise<string> {
  const loadBefore = loadavg()[0]!;
  const { dataDir, stringifyMs } = dataDirWithAudit(AUDIT_ENTRIES);
  const keepEverything = {
    SWITCHYARD_DATA_DIR: dataDir,
    SWITCHYARD_AUDIT_MAX_ENTRIES: '0',
    SWITCHYARD_AUDIT_RETENTION_DAYS: '0',
    SWITCHYARD_COMPACTION_THRESHOLD_BYTES: String(COMPACTION_THRESHOLD_BYTES),
  };
  try {
    const fullSnapshot = statSync(join(dataDir, 'snapshot.json')).size;
    let relay = await startRelayProcess(ADMIN_KEY, keepEverything);
    const fullRss = relay.rssBytes();
    await relay.api('POST', '/api/v1/feature-flags', FLAG);
    const idle = await evaluateLoad(relay);
    const writer = writeAndCompact(relay, dataDir);
    const compacting = await evaluateLoad(relay);
    const { writes, compactions, writingShare } = await writer.stop();
    await relay.stop();

    // The same directory under the default retention: the start-up pass cuts the audit trail to 20,000,
    // the stop writes the snapshot; the restart after that is what a relay within its retention starts at.
    relay = await startRelayProcess(ADMIN_KEY, { SWITCHYARD_DATA_DIR: dataDir });
    await relay.stop();
    relay = await startRelayProcess(ADMIN_KEY, { SWITCHYARD_DATA_DIR: dataDir });
    const retainedRss = relay.rssBytes();
    await relay.stop();
    const retainedSnapshot = statSync(join(dataDir, 'snapshot.json')).size;
    const emptyDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-store-empty-'));
    relay = await startRelayProcess(ADMIN_KEY, { SWITCHYARD_DATA_DIR: emptyDir });
    const emptyRss = relay.rssBytes();
    await relay.stop();
    rmSync(emptyDir, { recursive: true, force: true });
    const loadAfter = loadavg()[0]!;

    const latency = markdownTable(
      ['phase', 'requests/s', 'p50 ms', 'p99 ms', 'max ms', 'errors', ''],
      [
        loadRow('no writes, no compaction', idle, ''),
        loadRow(
          'compacting',
          compacting,
          `${compactions} compactions, a snapshot being written ${Math.round(writingShare * 100)}% of the time, ${writes} flag updates`,
        ),
      ],
    );
    const memory = markdownTable(
      ['store at start', 'snapshot MB', 'RSS MB after start'],
      [
        ['empty', '0', megabytes(emptyRss)],
        [
          `${AUDIT_ENTRIES.toLocaleString('en')} audit entries, retention off`,
          megabytes(fullSnapshot),
          megabytes(fullRss),
        ],
        ['the same, default retention (20,000 entries kept)', megabytes(retainedSnapshot), megabytes(retainedRss)],
      ],
    );
    return [
      `POST /api/v1/feature-flags/evaluate, ${CONNECTIONS} connections, ${SECONDS} s per phase (autocannon in its own process), against a relay process whose embedded store holds ${AUDIT_ENTRIES.toLocaleString('en')} audit entries. While compacting, one client updates a flag in a loop with the compaction threshold at 64 KiB, so the ~${megabytes(fullSnapshot)} MB snapshot is rewritten back to back.`,
      latency,
      memory,
      `For comparison, one \`JSON.stringify\` of that snapshot (how the store wrote it before compaction became incremental, blocking the event loop throughout) took ${Math.round(stringifyMs)} ms in this process.`,
      `Load average (1 min): ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after.`,
    ].join('\n\n');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
