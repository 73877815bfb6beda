import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const BUILT_CLI = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));

/** The test's environment without the caller's own SWITCHYARD_* settings, plus `extra`. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SWITCHYARD_')));
  return { ...env, ...extra };
}

interface Served {
  child: ChildProcess;
  stdout: string;
  url: string;
}

function serve(args: string[], env: Record<string, string> = {}): Promise<Served> {
  if (!existsSync(BUILT_CLI))
    throw new Error(`${BUILT_CLI} is missing: build first (npx turbo run build --filter=@switchyard/relay...)`);
  const child = spawn(process.execPath, [BUILT_CLI, 'serve', ...args], {
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const started = /^(?=.*"msg":"relay started").*"url":"([^"]+)"/m.exec(stdout);
      if (started) resolve({ child, stdout, url: started[1]! });
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code} before starting:\n${stdout}\n${stderr}`)));
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('switchyard serve', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('when started on an empty data directory, then it prints the first admin key once, serves, and stops on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-serve-'));
    dirs.push(dataDir);
    const served = await serve(['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir]);
    const key = (await readFile(join(dataDir, 'admin-key'), 'utf8')).trim();
    expect(served.stdout).toContain(key);
    const health = await fetch(`${served.url}/healthz`);
    expect(health.status).toBe(200);
    const flags = await fetch(`${served.url}/api/v1/feature-flags`, { headers: { authorization: `Bearer ${key}` } });
    expect(flags.status).toBe(200);
    const exited = exitOf(served.child);
    served.child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const again = await serve(['--port', '0', '--host', '127.0.0.1'], { SWITCHYARD_DATA_DIR: dataDir });
    expect(again.stdout).not.toContain(key);
    const exitedAgain = exitOf(again.child);
    again.child.kill('SIGTERM');
    expect(await exitedAgain).toBe(0);
  });

  it('when a setting is invalid, then it exits with code 2 naming the setting', async () => {
    const child = spawn(process.execPath, [BUILT_CLI, 'serve'], {
      env: cleanEnv({ SWITCHYARD_PORT: 'eighty' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    expect(await exitOf(child)).toBe(2);
    expect(stderr).toContain('SWITCHYARD_PORT must be a whole number');
  });

  it("when a slice's setting is given as a serve option, then it is checked like its environment variable", async () => {
    const child = spawn(process.execPath, [BUILT_CLI, 'serve', '--sync-interval-ms', '0'], {
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    expect(await exitOf(child)).toBe(2);
    expect(stderr).toContain('SWITCHYARD_SYNC_INTERVAL_MS must be a positive integer');
  });

  it('when SWITCHYARD_ADMIN_KEY is a client key, then it exits with code 2 and one line saying it must be an admin key', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-serve-'));
    dirs.push(dataDir);
    const env = cleanEnv({
      SWITCHYARD_ADMIN_KEY: `sy_client_00112233445566ff_${'x'.repeat(43)}`,
      SWITCHYARD_DATA_DIR: dataDir,
      SWITCHYARD_PORT: '0',
    });
    const child = spawn(process.execPath, [BUILT_CLI, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    expect(await exitOf(child)).toBe(2);
    expect(stderr).toMatch(/^error: SWITCHYARD_ADMIN_KEY is a client key; it must be an admin key[^\n]*\n$/);
  });

  it('when workers keep crashing beyond SWITCHYARD_WORKER_RESTART_LIMIT, then the primary stops the others and exits 1', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-serve-'));
    dirs.push(dataDir);
    const served = await serve(
      ['--port', '0', '--host', '127.0.0.1', '--workers', '2', '--worker-restart-limit', '0'],
      {
        SWITCHYARD_DATA_DIR: dataDir,
      },
    );
    const primary = served.child.pid!;
    const workers = () => readFileSync(`/proc/${primary}/task/${primary}/children`, 'utf8').trim().split(/\s+/);
    await expect.poll(() => workers().length, { timeout: 60_000 }).toBe(2);
    const exited = exitOf(served.child);
    process.kill(Number(workers()[0]), 'SIGKILL');
    expect(await exited).toBe(1);
  });

  it('lists every setting with its environment variable in --help', async () => {
    const child = spawn(process.execPath, [BUILT_CLI, 'serve', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    await exitOf(child);
    for (const text of [
      '--port',
      'SWITCHYARD_PORT',
      '--data-dir',
      'SWITCHYARD_MONGODB_URI',
      'SWITCHYARD_LOG_LEVEL',
      'SWITCHYARD_CACHE_TTL_SECONDS',
      '--scheduler-cron',
    ]) {
      expect(stdout).toContain(text);
    }
  });
});
