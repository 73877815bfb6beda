import { open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StoreCorruptError } from '../store-errors.js';
import { syncDirectory } from './sync-directory.js';

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

/** Text handed to the file at once: large enough to keep writes few, small enough to build in a millisecond or two. */
const WRITE_CHUNK_CHARS = 256 * 1024;

/**
 * Writes `value` as JSON to a temporary file, fsyncs it, renames it over `path` and fsyncs the
 * directory: a crash leaves the old file or the new one. The text is built and written a chunk at a
 * time, each write handing the event loop back, so a large file never blocks the process for long.
 * `value` must not change until the promise settles. Iterators (e.g. `map.values()`) are written as arrays.
 */
export async function replaceJsonFile(path: string, value: unknown): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    let chunk: string[] = [];
    let chars = 0;
    for (const piece of jsonPieces(value, JSON_PIECE_DEPTH)) {
      chunk.push(piece);
      chars += piece.length;
      if (chars < WRITE_CHUNK_CHARS) continue;
      await handle.write(chunk.join(''));
      chunk = [];
      chars = 0;
    }
    await handle.write(chunk.join(''));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
  await syncDirectory(dirname(path));
}

/** How many levels of objects and arrays are taken apart; below that a value is one `JSON.stringify`. */
const JSON_PIECE_DEPTH = 3;

/** The text `JSON.stringify(value)` gives (iterators as arrays), in pieces. */
export function* jsonPieces(value: unknown, depth: number): Generator<string> {
  if (depth === 0 || value === null || typeof value !== 'object' || hasToJson(value)) {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  if (Array.isArray(value) || isIterator(value)) {
    yield '[';
    let first = true;
    for (const item of value as Iterable<unknown>) {
      if (!first) yield ',';
      first = false;
      if (omittedByJson(item)) yield 'null';
      else yield* jsonPieces(item, depth - 1);
    }
    yield ']';
    return;
  }
  yield '{';
  let first = true;
  for (const [key, item] of Object.entries(value)) {
    if (omittedByJson(item)) continue;
    yield `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    yield* jsonPieces(item, depth - 1);
  }
  yield '}';
}

function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

function isIterator(value: object): boolean {
  return typeof (value as { next?: unknown }).next === 'function' && Symbol.iterator in value;
}

function omittedByJson(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
