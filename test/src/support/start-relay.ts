import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@switchyard/relay/testing';

/** The repository root, from test/src/support. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const RELAY_BIN = join(REPO_ROOT, 'relay/dist/cli/main.js');
/** Output kept from the relay process, for failure messages. */
const MAX_LOG_CHARS = 64 * 1024;

export interface StartRelayOptions {
  /** Extra environment variables for the relay (e.g. `SWITCHYARD_STREAM_HEARTBEAT_INTERVAL_MS`). */
  env?: Record<string, string>;
  /** Default: a random key. */
  adminKey?: string;
  /** Default: a fresh temporary directory, removed by `close()`. */
  dataDir?: string;
  /** How long to wait for the relay to answer HTTP. Default 30 s. */
  startTimeoutMs?: number;
}

export interface StartedRelay {
  /** `http://127.0.0.1:<port>`; the same across `restart()`. */
  url: string;
  port: number;
  adminKey: string;
  dataDir: string;
  /** Stops the process (SIGTERM, then SIGKILL after 10 s); the data directory stays. */
  stop(): Promise<void>;
  /** Starts the relay again on the same port and data directory (stopping it first if running). */
  restart(): Promise<void>;
  /** Stops the relay and removes the data directory it created. */
  close(): Promise<void>;
  /** What the relay printed, for assertions' messages. */
  logs(): string;
  /** The running process's id (e.g. to SIGSTOP it; with several workers, the primary's), undefined while stopped. */
  pid(): number | undefined;
}

/**
 * Starts the built relay (`node relay/dist/cli/main.js serve`) as a child process on a free port,
 * with its own data directory and admin key, and waits until it answers HTTP.
 */
export async function startRelay(options: StartRelayOptions = {}): Promise<StartedRelay> {
  if (!existsSync(RELAY_BIN)) {
    throw new Error(
      `${RELAY_BIN} is missing: build the relay first (npx turbo run build --filter=@switchyard/relay...)`,
    );
  }
  const port = await freePort();
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'switchyard-relay-')));
  const adminKey = options.adminKey ?? `sy-admin-test-${Math.random().toString(36).slice(2)}`;
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  let child: ChildProcess | undefined;

  const env = {
    SWITCHYARD_PORT: String(port),
    SWITCHYARD_DATA_DIR: dataDir,
    SWITCHYARD_ADMIN_KEY: adminKey,
    ...options.env,
  };
  const launch = async () => {
    child = spawnRelay(env, (chunk) => {
      log = (log + chunk.toString()).slice(-MAX_LOG_CHARS);
    });
    await waitUntilAnswering(url, adminKey, child, options.startTimeoutMs ?? 30_000, () => log);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (running !== undefined) await stopProcess(running);
  };

  await launch();
  return {
    url,
    port,
    adminKey,
    dataDir,
    stop,
    async restart() {
      await stop();
      await launch();
    },
    async close() {
      await stop();
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    },
    logs: () => log,
    pid: () => child?.pid,
  };
}

/**
 * `node relay/dist/cli/main.js serve` on 127.0.0.1 with the embedded store and one process (no cluster:
 * `pid()` is the relay's own), unless `env` says otherwise (`SWITCHYARD_WORKERS` for several).
 */
function spawnRelay(env: Record<string, string>, onOutput: (chunk: Buffer) => void): ChildProcess {
  const child = spawn(process.execPath, [RELAY_BIN, 'serve'], {
    cwd: REPO_ROOT,
    env: { ...process.env, SWITCHYARD_HOST: '127.0.0.1', SWITCHYARD_MONGODB_URI: '', SWITCHYARD_WORKERS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  return child;
}

/** SIGTERM, then SIGKILL after 10 s; resolves once the process has exited. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}

async function waitUntilAnswering(
  url: string,
  adminKey: string,
  child: ChildProcess,
  timeoutMs: number,
  logs: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the relay exited (${child.exitCode ?? child.signalCode}) before answering:\n${logs()}`);
    }
    try {
      const response = await fetch(`${url}/api/v1/feature-flags`, {
        headers: { authorization: `Bearer ${adminKey}` },
        signal: AbortSignal.timeout(2_000),
      });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the relay did not answer at ${url} within ${timeoutMs} ms:\n${logs()}`);
}
