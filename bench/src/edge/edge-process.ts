import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@switchyard/relay/testing';
import { pinned } from '../relay-process.js';

/** Where tools/unleash-edge/install.sh puts the binary. */
export function edgeBinary(): string {
  const cache = process.env.SWITCHYARD_BENCH_CACHE ?? join(homedir(), '.cache', 'switchyard-bench');
  return join(cache, 'unleash-edge', 'bin', 'unleash-edge');
}

export function edgeBuilt(): boolean {
  return existsSync(edgeBinary());
}

export interface EdgeProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The token Edge accepts (offline mode takes any listed string; this one names the environment, as Unleash's do). */
export const EDGE_TOKEN = '*:production.switchyard-bench-0123456789';

/**
 * `unleash-edge offline` serving `features` (a client features file) to EDGE_TOKEN as a frontend and
 * client token, with `workers` request workers (its `--workers`), optionally pinned to `cpus`.
 */
export async function startEdge(features: unknown, workers: number, cpus?: string): Promise<EdgeProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-edge-'));
  const file = join(dir, 'features.json');
  writeFileSync(file, JSON.stringify(features));
  const port = await freePort();
  const [command, args] = pinned(cpus, edgeBinary(), [
    '--port',
    String(port),
    '--interface',
    '127.0.0.1',
    '--workers',
    String(workers),
    'offline',
    '--bootstrap-file',
    file,
    '--client-tokens',
    EDGE_TOKEN,
    '--frontend-tokens',
    EDGE_TOKEN,
  ]);
  const child: ChildProcess = spawn(command, args, {
    env: { ...process.env, LOG_LEVEL: 'warn', RUST_LOG: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForReady(url, child);
  return {
    url,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForReady(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`unleash-edge exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/internal-backstage/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('unleash-edge did not become ready');
}
