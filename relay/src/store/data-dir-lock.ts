import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { DataDirLockedError } from './store-errors.js';

const LOCK_FILE = 'store.lock';

/** Holds `<dataDir>/store.lock` (containing the pid) so that two stores never share a data directory. */
export class DataDirLock {
  private constructor(private readonly path: string) {}

  /** Takes the lock; a lock left by a process that no longer runs is taken over. */
  static async acquire(dataDir: string): Promise<DataDirLock> {
    const path = join(dataDir, LOCK_FILE);
    if (await tryCreate(path)) return new DataDirLock(path);
    const owner = await readOwner(path);
    if (owner !== null && isRunning(owner)) throw new DataDirLockedError(dataDir, owner);
    await unlink(path).catch(ignoreMissing);
    if (await tryCreate(path)) return new DataDirLock(path);
    throw new DataDirLockedError(dataDir, (await readOwner(path)) ?? -1);
  }

  async release(): Promise<void> {
    await unlink(this.path).catch(ignoreMissing);
  }
}

async function tryCreate(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(`${process.pid}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function readOwner(path: string): Promise<number | null> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
