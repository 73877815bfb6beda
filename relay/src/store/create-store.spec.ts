import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { freePort } from '../testing/free-port.js';
import { sampleFlag } from '../testing/sample-flag.js';
import { createStore } from './create-store.js';
import { FileStore } from './file-store.js';
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
