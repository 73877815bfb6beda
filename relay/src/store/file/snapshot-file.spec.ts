import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonPieces, replaceJsonFile } from './snapshot-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-snapshot-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('snapshot file', () => {
  it('when a value is written in pieces, then the text is what JSON.stringify gives', () => {
    const value = {
      format: 1,
      skipped: undefined,
      flags: [{ name: 'a', tags: [], nested: { deep: [1, { x: null }], gone: undefined } }, 'text', 2.5, null],
      empty: {},
      list: [undefined, () => 1, true],
      'quoted "key"': 'line\nbreak',
      at: new Date(0),
    };
    expect([...jsonPieces(value, 3)].join('')).toBe(JSON.stringify(value));
    expect([...jsonPieces(new Map([[1, 2]]).values(), 3)].join('')).toBe('[2]');
    expect([...jsonPieces('plain', 3)].join('')).toBe('"plain"');
  });

  it('when a large value is written, then the event loop turns while its text is built, and the file reads back whole', async () => {
    let turns = 0;
    let stop = false;
    const turn = () => {
      turns += 1;
      if (!stop) setImmediate(turn);
    };
    setImmediate(turn);
    const seen: number[] = [];
    const entries = Array.from({ length: 20_000 }, (_, index) => ({
      toJSON: () => {
        if (index === 0 || index === 19_999) seen.push(turns);
        return { index, padding: 'x'.repeat(40) };
      },
    }));
    await replaceJsonFile(join(dir, 'big.json'), { entries });
    stop = true;
    expect(seen[1]).toBeGreaterThan(seen[0]!);
    const read = JSON.parse(await readFile(join(dir, 'big.json'), 'utf8')) as { entries: Array<{ index: number }> };
    expect(read.entries.map((entry) => entry.index)).toEqual(entries.map((_, index) => index));
  });
});
