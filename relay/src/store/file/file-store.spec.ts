import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { FileStore } from './file-store.js';
import { storeContract } from '../contracts/store-contract.js';

const directories: string[] = [];
afterAll(async () => {
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
});

storeContract('embedded (file)', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-store-'));
  directories.push(dataDir);
  return FileStore.open({ dataDir });
});
