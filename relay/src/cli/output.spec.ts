import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { colorWanted, Output } from './output.js';

function capture(color: boolean): { out: Output; text: () => string } {
  let written = '';
  const out = new Output(false, color, (text) => {
    written += text;
  });
  return { out, text: () => written };
}

describe('human output', () => {
  it('when a table is printed, then its columns line up whatever the cell widths', () => {
    const { out, text } = capture(false);
    out.table(
      [
        { header: 'NAME', value: (row: { name: string; on: string }) => row.name },
        { header: 'ENABLED', value: (row) => row.on },
      ],
      [
        { name: 'a', on: 'on' },
        { name: 'long-flag-name', on: 'off' },
      ],
      'none',
    );
    expect(text()).toBe('NAME            ENABLED\na               on\nlong-flag-name  off\n');
  });

  it('when coloured, then widths ignore the escape codes', () => {
    const { out, text } = capture(true);
    out.table(
      [
        { header: 'A', value: (row: string) => out.green(row) },
        { header: 'B', value: () => 'x' },
      ],
      ['on', 'off!'],
      '',
    );
    const lines = text().split('\n').map(stripVTControlCharacters);
    expect(lines.slice(0, 3)).toEqual(['A     B', 'on    x', 'off!  x']);
  });

  it('when stdout is no terminal or NO_COLOR is set, then there is no colour', () => {
    expect(colorWanted({ isTTY: true }, {})).toBe(true);
    expect(colorWanted({ isTTY: false }, {})).toBe(false);
    expect(colorWanted({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
  });
});
