import { open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SnapshotData } from './memory-state.js';
import { StoreCorruptError } from './store-errors.js';
import { syncDirectory } from './sync-directory.js';

/** Null when there is no snapshot yet. The file is only ever replaced whole, so it is never half-written. */
export async function readSnapshot(path: string): Promise<SnapshotData | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let data: SnapshotData;
  try {
    data = JSON.parse(text) as SnapshotData;
  } catch (error) {
    throw new StoreCorruptError(path, `not JSON (${(error as Error).message})`);
  }
  if (data.format !== 1) throw new StoreCorruptError(path, `unknown format ${String(data.format)}`);
  return data;
}

/** Writes to a temporary file, fsyncs it, renames it over `path` and fsyncs the directory. */
export async function writeSnapshot(path: string, data: SnapshotData): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(JSON.stringify(data));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
  await syncDirectory(dirname(path));
}
