import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One built file of the console, held in memory with its gzip form when that is smaller. */
export interface ConsoleFile {
  body: Buffer;
  gzipped?: Buffer;
  contentType: string;
  etag: string;
  /** Under `assets/`: Vite names these by their content hash, so they never change. */
  immutable: boolean;
}

/** The console's build output: every file by its URL path (`/index.html`, `/assets/index-3f2a.js`). */
export interface ConsoleFiles {
  directory: string;
  files: ReadonlyMap<string, ConsoleFile>;
  index: ConsoleFile;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};
/** Types worth compressing; images and fonts already are. */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.webmanifest', '.txt', '.svg']);
const HASHED_ASSETS = 'assets/';

/** Where the console's build is: the setting, else `dist/` of the `@switchyard/console` package the relay depends on. */
export function consoleDirectory(configured: string | undefined): string | undefined {
  if (configured !== undefined) return resolve(configured);
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@switchyard/console/package.json')), 'dist');
  } catch {
    return undefined;
  }
}

/**
 * Reads the console's build into memory once, at start (a few hundred KB), gzipping what compresses.
 * Undefined when the directory has no `index.html`: the console was not built.
 */
export async function loadConsoleFiles(directory: string): Promise<ConsoleFiles | undefined> {
  const isBuilt = await stat(join(directory, 'index.html')).then(
    (found) => found.isFile(),
    () => false,
  );
  if (!isBuilt) return undefined;
  const files = new Map<string, ConsoleFile>();
  for (const path of await listFiles(directory)) {
    const name = relative(directory, path).split(sep).join('/');
    files.set(`/${name}`, fileOf(name, await readFile(path)));
  }
  return { directory, files, index: files.get('/index.html')! };
}

function fileOf(name: string, body: Buffer): ConsoleFile {
  const extension = extname(name).toLowerCase();
  const gzipped = COMPRESSIBLE.has(extension) ? gzipSync(body, { level: 9 }) : undefined;
  return {
    body,
    gzipped: gzipped !== undefined && gzipped.length < body.length ? gzipped : undefined,
    contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    immutable: name.startsWith(HASHED_ASSETS),
  };
}

async function listFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => join(entry.parentPath, entry.name));
}
