import { open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { crc32 } from 'node:zlib';
import { StoreCorruptError } from '../store-errors.js';
import { syncDirectory } from './sync-directory.js';

/** One journal line: `<crc32 of the JSON, 8 hex digits> <JSON of {sequence, mutation}>\n`. */
export interface JournalEntry<Change = unknown> {
  sequence: number;
  mutation: Change;
}

const NEWLINE = 0x0a;

export function encodeJournalLine<Change>(entry: JournalEntry<Change>): Buffer {
  const json = JSON.stringify(entry);
  return Buffer.from(`${checksum(Buffer.from(json))} ${json}\n`);
}

function checksum(bytes: Buffer): string {
  return crc32(bytes).toString(16).padStart(8, '0');
}

function decodeLine(line: Buffer): JournalEntry | null {
  const space = line.indexOf(0x20);
  if (space !== 8) return null;
  const json = line.subarray(space + 1);
  if (line.subarray(0, space).toString() !== checksum(json)) return null;
  try {
    return JSON.parse(json.toString()) as JournalEntry;
  } catch {
    return null;
  }
}

export interface JournalContent {
  entries: JournalEntry[];
  /** Bytes up to the end of the last intact line; anything after is a torn write. */
  intactLength: number;
}

/**
 * Reads every intact line. A torn write can only damage the end of the file (every earlier line was
 * fsync'd before the next was written), so an unterminated or failing last line is dropped; a
 * failing line with intact lines after it means the file was damaged otherwise, and is refused.
 */
export async function readJournal(path: string): Promise<JournalContent> {
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return Buffer.alloc(0);
    throw error;
  });
  const entries: JournalEntry[] = [];
  let start = 0;
  while (start < bytes.length) {
    const end = bytes.indexOf(NEWLINE, start);
    if (end === -1) break;
    const entry = decodeLine(bytes.subarray(start, end));
    if (!entry) {
      if (end + 1 >= bytes.length) break;
      throw new StoreCorruptError(path, `line at byte ${start} fails its checksum and is not the last one`);
    }
    entries.push(entry);
    start = end + 1;
  }
  return { entries, intactLength: start };
}

/** Appends lines, each fsync'd before `append` resolves. */
export class JournalWriter {
  private constructor(
    private readonly handle: FileHandle,
    private length: number,
  ) {}

  /** Opens for appending, first cutting off a torn tail at `intactLength`. */
  static async open(path: string, intactLength: number): Promise<JournalWriter> {
    const handle = await open(path, 'a');
    try {
      const { size } = await handle.stat();
      if (size !== intactLength) {
        await handle.truncate(intactLength);
        await handle.sync();
      }
      await syncDirectory(dirname(path));
      return new JournalWriter(handle, intactLength);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** True when a failed append could not be taken back: the file may end in a partial line. */
  broken = false;

  get size(): number {
    return this.length;
  }

  async append(line: Buffer): Promise<void> {
    try {
      await this.handle.write(line);
      await this.handle.datasync();
      this.length += line.length;
    } catch (error) {
      // Take back a partly written line so the next append does not follow garbage.
      await this.handle.truncate(this.length).catch(() => {
        this.broken = true;
      });
      throw error;
    }
  }

  async clear(): Promise<void> {
    await this.handle.truncate(0);
    await this.handle.sync();
    this.length = 0;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
