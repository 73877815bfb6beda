/**
 * What commands print: aligned tables and key/value blocks for people, JSON for scripts.
 * Colour only when stdout is a terminal and NO_COLOR is unset (https://no-color.org).
 */
import { stripVTControlCharacters } from 'node:util';

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
}

type Paint = (text: string) => string;

export function colorWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}

export class Output {
  readonly bold: Paint;
  readonly dim: Paint;
  readonly green: Paint;
  readonly red: Paint;
  readonly yellow: Paint;

  constructor(
    readonly jsonMode: boolean,
    color: boolean,
    private readonly write: (text: string) => void = (text) => process.stdout.write(text),
  ) {
    const paint = (code: number): Paint => (color ? (text) => `\u001b[${code}m${text}\u001b[0m` : (text) => text);
    this.bold = paint(1);
    this.dim = paint(2);
    this.green = paint(32);
    this.red = paint(31);
    this.yellow = paint(33);
  }

  json(value: unknown): void {
    this.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  line(text = ''): void {
    this.write(`${text}\n`);
  }

  /** A table with one header line; `empty` is printed instead when there are no rows. */
  table<Row>(columns: Column<Row>[], rows: Row[], empty: string): void {
    if (rows.length === 0) {
      this.line(this.dim(empty));
      return;
    }
    const cells = rows.map((row) => columns.map((column) => oneLine(column.value(row))));
    const widths = columns.map((column, index) =>
      Math.max(column.header.length, ...cells.map((row) => visibleLength(row[index] ?? ''))),
    );
    this.line(
      this.bold(
        joinPadded(
          columns.map((column) => column.header),
          widths,
        ),
      ),
    );
    for (const row of cells) this.line(joinPadded(row, widths));
  }

  /** `key  value` lines with the keys aligned. */
  fields(pairs: [string, string][]): void {
    const width = Math.max(...pairs.map(([key]) => key.length));
    for (const [key, value] of pairs) this.line(`${this.dim(key.padEnd(width))}  ${value}`);
  }

  /** Enabled/disabled as a coloured word. */
  onOff(enabled: boolean | undefined): string {
    if (enabled === undefined) return this.dim('-');
    return enabled ? this.green('on') : this.red('off');
  }
}

function joinPadded(cells: string[], widths: number[]): string {
  const padded = cells.map((cell, index) =>
    index === cells.length - 1 ? cell : cell + ' '.repeat((widths[index] ?? 0) - visibleLength(cell)),
  );
  return padded.join('  ').trimEnd();
}

function visibleLength(text: string): number {
  return stripVTControlCharacters(text).length;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
