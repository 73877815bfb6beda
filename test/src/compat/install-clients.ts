import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../support/start-relay.js';
import type { ClientOutcome, CompatCase } from './compat-table.js';

const run = promisify(execFile);
const COMPAT_DIR = join(REPO_ROOT, 'test/compat');
/** Outside the repository; a fresh machine fills it on the first run (PyPI, the Go module proxy). */
const CACHE_DIR =
  process.env.SWITCHYARD_COMPAT_CACHE ??
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'switchyard-compat');
const INSTALL_TIMEOUT_MS = 600_000;

/** The Go provider versions the suite builds: each has its go.mod (`go.mod` is v0.1.6). */
const GO_PROVIDER_MODFILES = { 'go v0.1.6': 'go.mod', 'go v0.1.7': 'ofrep-v0.1.7.mod' } as const;
export type GoClient = keyof typeof GO_PROVIDER_MODFILES;

/** A client program: reads a table as JSON on stdin, prints its outcomes as JSON. */
export interface ClientProgram {
  command: string;
  args: string[];
}

/**
 * The pinned Python packages (test/compat/python/requirements.txt) in a virtual environment of
 * their own, installed once per version of that file.
 */
export async function installPythonClient(): Promise<ClientProgram> {
  const requirements = join(COMPAT_DIR, 'python/requirements.txt');
  const digest = createHash('sha256')
    .update(await readFile(requirements))
    .digest('hex')
    .slice(0, 12);
  const venv = join(CACHE_DIR, `python-${digest}`);
  const python = join(venv, 'bin/python');
  const stamp = join(venv, '.installed');
  if (!existsSync(stamp)) {
    await mkdir(CACHE_DIR, { recursive: true });
    await run('python3', ['-m', 'venv', '--clear', venv], { timeout: INSTALL_TIMEOUT_MS });
    await run(python, ['-m', 'pip', 'install', '--quiet', '-r', requirements], { timeout: INSTALL_TIMEOUT_MS });
    await writeFile(stamp, '');
  }
  return { command: python, args: [join(COMPAT_DIR, 'python/evaluate.py')] };
}

/** test/compat/go built against one provider version (Go's own caches make rebuilds cheap). */
export async function buildGoClient(client: GoClient): Promise<ClientProgram> {
  const output = join(CACHE_DIR, `ofrep-compat-${client.replace(/\W+/g, '-')}`);
  await mkdir(CACHE_DIR, { recursive: true });
  await run('go', ['build', `-modfile=${GO_PROVIDER_MODFILES[client]}`, '-o', output, '.'], {
    cwd: join(COMPAT_DIR, 'go'),
    timeout: INSTALL_TIMEOUT_MS,
  });
  return { command: output, args: [] };
}

/** Runs a client program over the whole table in one process. */
export function runClient(
  program: ClientProgram,
  table: { baseUrl: string; key: string; cases: CompatCase[] },
): Promise<ClientOutcome[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(program.command, program.args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${program.command} exited with ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout) as ClientOutcome[]);
    });
    child.stdin.end(JSON.stringify(table));
  });
}
