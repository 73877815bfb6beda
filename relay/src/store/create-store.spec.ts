import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { freePort } from '../testing/free-port.js';
import { sampleFlag } from '../testing/sample-flag.js';
import { createStore, storeConfigOf } from './create-store.js';
import { FileStore } from './file/file-store.js';
import { StoreUnavailableError } from './store-errors.js';

it('when given a data directory, then createStore opens the embedded store there', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-create-'));
  try {
    const store = await createStore({ dataDir });
    expect(store).toBeInstanceOf(FileStore);
    await store.flags.create(sampleFlag('made'));
    await store.close();
    const reopened = await createStore({ dataDir });
    expect(await reopened.flags.get('made')).not.toBeNull();
    await reopened.close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

it('when the MongoDB server cannot be reached, then createStore fails with StoreUnavailableError', async () => {
  const port = await freePort();
  await expect(
    createStore({ mongodbUri: `mongodb://127.0.0.1:${port}/`, serverSelectionTimeoutMs: 500 }),
  ).rejects.toBeInstanceOf(StoreUnavailableError);
});

const TUNING = {
  dataDir: '/srv/switchyard',
  mongodbDatabase: undefined,
  changeLogRetention: 500,
  compactionThresholdBytes: 65_536,
  mongodbServerSelectionTimeoutMs: 750,
  mongodbGapSettleMs: 3_000,
};

it('when no MongoDB URI is set, then storeConfigOf selects the embedded store with its retention and compaction threshold', () => {
  expect(storeConfigOf({ ...TUNING, mongodbUri: undefined })).toEqual({
    dataDir: '/srv/switchyard',
    changeLogRetention: 500,
    compactionThresholdBytes: 65_536,
  });
});

it('when a MongoDB URI is set, then storeConfigOf passes the database, retention, server selection timeout and gap settle time', () => {
  expect(storeConfigOf({ ...TUNING, mongodbUri: 'mongodb://db:27017/', mongodbDatabase: 'flags' })).toEqual({
    mongodbUri: 'mongodb://db:27017/',
    databaseName: 'flags',
    changeLogRetention: 500,
    serverSelectionTimeoutMs: 750,
    gapSettleMs: 3_000,
  });
  expect(storeConfigOf({ ...TUNING, mongodbUri: 'mongodb://db:27017/app' })).not.toHaveProperty('databaseName');
});
