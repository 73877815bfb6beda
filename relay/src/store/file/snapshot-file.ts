import { open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SnapshotData } from './memory-state.js';
import { StoreCorruptError } from '../store-errors.js';
import { syncDirectory } from './sync-directory.js';

/** Null when there is no snapshot yet. The file is only ever replaced whole, so it is never half-written. */
export async function readSnapshot(path: string): Promise<SnapshotData | null> {
  const data = (await readJsonFile(path)) as SnapshotData | null;
  if (data !== null && data.format !== 1) throw new StoreCorruptError(path, `unknown format ${String(data.format)}`);
  return data;
}

export function writeSnapshot(path: string, data: SnapshotData): Promise<void> {
  return replaceJsonFile(path, data);
}

/** A whole JSON file: null when it does not exist, StoreCorruptError when it is not JSON. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new StoreCorruptError(path, `not JSON (${(error as Error).message})`);
  }
}

/** Writes to a temporary file, fsyncs it, renames it over `path` and fsyncs the directory: a crash leaves the old file or the new one. */
export async function replaceJsonFile(path: string, data: unknown): Promise<void> {
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
