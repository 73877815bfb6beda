import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { build } from 'vite';
import { REPO_ROOT } from '../support/start-relay.js';

const BROWSER_APP_DIR = join(REPO_ROOT, 'test/browser-app');

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
};

export interface TestPage {
  /** Origin of the page, e.g. http://127.0.0.1:41234 (another origin than the relay's). */
  origin: string;
  close(): Promise<void>;
}

/**
 * Builds a page (test/browser-app unless told) with Vite (a production build, as an app would ship
 * it) and serves it on its own port, so the page calls the relay cross-origin like a real app.
 */
export async function buildAndServeTestPage(root: string = BROWSER_APP_DIR): Promise<TestPage> {
  const outDir = await mkdtemp(join(tmpdir(), 'switchyard-page-'));
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    esbuild: { jsx: 'automatic' },
    build: { outDir, emptyOutDir: true, sourcemap: true },
  });
  const server = createServer(async (req, res) => {
    const path = normalize(new URL(req.url ?? '/', 'http://page').pathname).replace(/^(\.\.[/\\])+/, '');
    const file = join(outDir, path === '/' ? 'index.html' : path);
    const found = file.startsWith(outDir) && (await stat(file).catch(() => undefined))?.isFile();
    if (!found) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await closeServer(server);
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
