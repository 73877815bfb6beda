import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { DataDirLockedError } from '../store-errors.js';

const LOCK_FILE = 'store.lock';
/** Lock files this process holds: a lock naming our own pid but not held here is left by an earlier process that had the same pid (a container's pid 1). */
const heldHere = new Set<string>();

/** Holds `<dataDir>/store.lock` (containing the pid) so that two stores never share a data directory. */
export class DataDirLock {
  private constructor(private readonly path: string) {}

  /** Takes the lock; a lock left by a process that no longer runs is taken over. */
  static async acquire(dataDir: string): Promise<DataDirLock> {
    const path = join(dataDir, LOCK_FILE);
    if (heldHere.has(path)) throw new DataDirLockedError(dataDir, process.pid);
    if (!(await tryCreate(path))) {
      const owner = await readOwner(path);
      if (owner !== null && owner !== process.pid && isRunning(owner)) throw new DataDirLockedError(dataDir, owner);
      await unlink(path).catch(ignoreMissing);
      if (!(await tryCreate(path))) throw new DataDirLockedError(dataDir, (await readOwner(path)) ?? -1);
    }
    heldHere.add(path);
    return new DataDirLock(path);
  }

  async release(): Promise<void> {
    heldHere.delete(this.path);
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
