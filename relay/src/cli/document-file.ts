import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { UsageError } from './cli-errors.js';

/** JSON or YAML files (or stdin/stdout as `-`) for `--file`, `import` and `export`. */

export type DocumentFormat = 'json' | 'yaml';

/** How messages name a `--file`: standard input for `-`. */
export function sourceName(path: string | undefined): string {
  return path === '-' ? 'standard input' : String(path);
}

export function formatOf(path: string | undefined, explicit?: string): DocumentFormat {
  if (explicit !== undefined) {
    if (explicit !== 'json' && explicit !== 'yaml')
      throw new UsageError(`--format must be "json" or "yaml", not "${explicit}"`);
    return explicit;
  }
  const extension = path ? extname(path).toLowerCase() : '';
  return extension === '.yaml' || extension === '.yml' ? 'yaml' : 'json';
}

export async function readDocument(path: string): Promise<unknown> {
  let text: string;
  try {
    text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`cannot read ${sourceName(path)} (${reason}): check the path`);
  }
  return parseDocument(text, path);
}

function parseDocument(text: string, path: string): unknown {
  try {
    // YAML 1.2 reads JSON too; JSON files get JSON's stricter parser and its messages.
    return formatOf(path) === 'yaml' || path === '-' ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new UsageError(
      `${sourceName(path)} is not valid ${path === '-' ? 'JSON or YAML' : formatOf(path).toUpperCase()}: ${reason}`,
    );
  }
}

export function serializeDocument(value: unknown, format: DocumentFormat): string {
  return format === 'yaml' ? stringifyYaml(value) : `${JSON.stringify(value, null, 2)}\n`;
}

export async function writeDocument(path: string | undefined, text: string): Promise<void> {
  if (path === undefined || path === '-') {
    process.stdout.write(text);
    return;
  }
  try {
    await writeFile(path, text, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`cannot write ${path} (${reason}): check the directory exists and is writable`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
