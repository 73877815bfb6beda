import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@switchyard/relay/testing';
import { waitForWorkers } from './relay/worker-ready.js';

const RELAY_CLI = fileURLToPath(new URL('../../relay/dist/cli/main.js', import.meta.url));

/** A relay started as its own process (`switchyard serve`), so its memory and CPU are its own. */
export interface RelayProcess {
  url: string;
  /** Calls the REST API as admin; throws on a non-2xx answer. */
  api(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
  /** Creates an API key of `role` for production; answers the key itself. */
  createKey(role: string): Promise<string>;
  /** The relay's process id. */
  pid: number;
  rssBytes(): number;
  stop(): Promise<void>;
}

export interface RelayProcessOptions {
  /** Arguments to node before the CLI (e.g. `--inspect=127.0.0.1:9230`). */
  nodeArgs?: string[];
  /** The process's file descriptor limit (`ulimit -n`); absent: inherited. */
  descriptorLimit?: number;
  /** `SWITCHYARD_WORKERS` (default 1: one process); start-up waits until every worker answers. */
  workers?: number;
  /** Run on these CPUs only (`taskset -c`), e.g. `0` to give the relay one core. */
  cpus?: string;
}

export async function startRelayProcess(
  adminKey: string,
  env: Record<string, string> = {},
  options: RelayProcessOptions = {},
): Promise<RelayProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-relay-'));
  const port = await freePort();
  const workers = options.workers ?? 1;
  const command = [
    ...(options.cpus === undefined ? [] : ['taskset', '-c', options.cpus]),
    process.execPath,
    ...(options.nodeArgs ?? []),
    RELAY_CLI,
    'serve',
  ];
  const child: ChildProcess = spawn(
    options.descriptorLimit === undefined ? command[0]! : 'bash',
    options.descriptorLimit === undefined
      ? command.slice(1)
      : ['-c', `ulimit -n ${options.descriptorLimit} && exec "$@"`, 'relay', ...command],
    {
      env: {
        ...process.env,
        SWITCHYARD_PORT: String(port),
        SWITCHYARD_HOST: '127.0.0.1',
        SWITCHYARD_DATA_DIR: dataDir,
        SWITCHYARD_ADMIN_KEY: adminKey,
        SWITCHYARD_LOG_LEVEL: 'error',
        SWITCHYARD_WORKERS: String(workers),
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child);
  if (workers > 1) await waitForWorkers(`${url}/healthz`, workers, 'x-switchyard-worker');
  const relay: RelayProcess = {
    url,
    pid: child.pid!,
    async api(method, path, body) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return JSON.parse(text) as Record<string, unknown>;
    },
    async createKey(role) {
      const created = await relay.api('POST', '/api/v1/api-keys', {
        name: `bench-${role}`,
        role,
        environment: 'production',
      });
      return String(created.key);
    },
    rssBytes: () => rssOf(child.pid!),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return relay;
}

function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? Number.NaN) * 1024;
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`the relay exited with ${child.exitCode}`);
    if (
      await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the relay did not become ready');
}

/** `command args` run by `taskset -c <cpus>` when CPUs are given (`exec`s, so the pid stays the command's). */
export function pinned(cpus: string | undefined, command: string, args: string[]): [string, string[]] {
  return cpus === undefined ? [command, args] : ['taskset', ['-c', cpus, command, ...args]];
}
