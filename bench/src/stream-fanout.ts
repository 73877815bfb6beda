import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { markdownTable } from './measure.js';

/**
 * Push fan-out: one relay process (embedded store), N websocket clients with a `server` key in this
 * process. Measures the time from sending a flag update (PATCH) to the LAST of the N clients
 * receiving it, and the relay's resident memory per idle connection.
 */
export const STREAM_BENCH_PACKAGES = ['ws'];

export interface StreamFanoutOptions {
  clientCounts: number[];
  /** Updates timed per client count. */
  updates: number;
}

const DEFAULTS: StreamFanoutOptions = { clientCounts: [1_000, 10_000], updates: 40 };
const GOALS: Record<number, number> = { 1_000: 100, 10_000: 500 };
const RELAY_CLI = fileURLToPath(new URL('../../relay/dist/cli/main.js', import.meta.url));
const FLAG = 'bench-fanout';
const CHANGES = Buffer.from('{"type":"changes"');
const SNAPSHOT = Buffer.from('{"type":"snapshot"');

interface FanoutResult {
  clients: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  kbPerIdleConnection: number;
}

export async function runStreamFanoutBench(options: StreamFanoutOptions = DEFAULTS): Promise<string> {
  const relay = await startRelayProcess();
  try {
    const serverKey = await relay.setUp();
    const results: FanoutResult[] = [];
    for (const clients of options.clientCounts) results.push(await measure(relay, serverKey, clients, options.updates));
    return report(results);
  } finally {
    await relay.stop();
  }
}

async function measure(relay: RelayProcess, key: string, count: number, updates: number): Promise<FanoutResult> {
  await settle();
  const rssBefore = relay.rssBytes();
  const sockets = await connectAll(relay.url, key, count);
  await settle();
  const rssAfter = relay.rssBytes();
  const latencies: number[] = [];
  for (let i = 0; i < updates; i += 1) latencies.push(await timeOneUpdate(relay, sockets, i));
  for (const socket of sockets) socket.terminate();
  latencies.sort((a, b) => a - b);
  return {
    clients: count,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? Number.NaN,
    kbPerIdleConnection: (rssAfter - rssBefore) / count / 1024,
  };
}

/** Sends one update; resolves with the ms until the last client got its `changes` message. */
async function timeOneUpdate(relay: RelayProcess, sockets: WebSocket[], i: number): Promise<number> {
  let pending = sockets.length;
  let last = 0;
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${sockets.length - pending} clients got update ${i}`)), 30_000);
    for (const socket of sockets) {
      const onMessage = (data: WebSocket.RawData): void => {
        if ((data as Buffer).indexOf(CHANGES) !== 0) return;
        socket.off('message', onMessage);
        last = performance.now();
        pending -= 1;
        if (pending === 0) {
          clearTimeout(timer);
          resolve();
        }
      };
      socket.on('message', onMessage);
    }
  });
  const start = performance.now();
  await relay.setPercentage(i % 100);
  await done;
  return last - start;
}

async function connectAll(url: string, key: string, count: number): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  const batch = 250;
  for (let opened = 0; opened < count; opened += batch) {
    const wave = Array.from({ length: Math.min(batch, count - opened) }, () => connectOne(url, key));
    sockets.push(...(await Promise.all(wave)));
  }
  return sockets;
}

function connectOne(url: string, key: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/stream`, {
      headers: { authorization: `Bearer ${key}` },
      perMessageDeflate: false,
      // The bench process plays 10,000 clients on a shared core: keep its own cost per message low.
      skipUTF8Validation: true,
    });
    const onFirstState = (data: WebSocket.RawData): void => {
      if ((data as Buffer).indexOf(SNAPSHOT) !== 0) return;
      socket.off('message', onFirstState);
      resolve(socket);
    };
    socket.on('message', onFirstState);
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) => reject(new Error(`stream refused: ${response.statusCode}`)));
  });
}

interface RelayProcess {
  url: string;
  /** Creates the flag and a server key; returns the key. */
  setUp(): Promise<string>;
  setPercentage(percentage: number): Promise<void>;
  rssBytes(): number;
  stop(): Promise<void>;
}

async function startRelayProcess(): Promise<RelayProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-stream-'));
  const port = await freePort();
  const adminKey = `sy_admin_${randomBytes(16).toString('hex')}`;
  const child: ChildProcess = spawn(process.execPath, [RELAY_CLI, 'serve'], {
    env: {
      ...process.env,
      SWITCHYARD_PORT: String(port),
      SWITCHYARD_HOST: '127.0.0.1',
      SWITCHYARD_DATA_DIR: dataDir,
      SWITCHYARD_ADMIN_KEY: adminKey,
      SWITCHYARD_LOG_LEVEL: 'error',
      SWITCHYARD_STREAM_MAX_CONNECTIONS: '15000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const api = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  await waitForHealth(url, child);
  let version = 0;
  return {
    url,
    async setUp() {
      const flag = await api('POST', '/api/v1/feature-flags', {
        name: FLAG,
        description: 'bench: push fan-out',
        type: 'boolean',
        environments: { production: { enabled: true, rules: [{ strategy: 'percentage', percentage: 0 }], fallthrough: { serve: false } } },
      });
      version = Number(flag.version);
      const created = await api('POST', '/api/v1/api-keys', { name: 'bench-server', role: 'server', environment: 'production' });
      return String(created.key ?? created.secret);
    },
    async setPercentage(percentage) {
      const flag = await api('PATCH', `/api/v1/feature-flags/${FLAG}?environment=production`, {
        version,
        rolloutConfig: { percentage },
      });
      version = Number(flag.version);
    },
    rssBytes: () => rssOf(child.pid!),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? Number.NaN) * 1024;
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`the relay exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the relay did not become ready');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 2000));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

function report(results: FanoutResult[]): string {
  const rows = results.map((r) => [
    r.clients.toLocaleString('en'),
    r.p50Ms.toFixed(1),
    r.p99Ms.toFixed(1),
    r.maxMs.toFixed(1),
    `${GOALS[r.clients] === undefined ? '' : `p99 < ${GOALS[r.clients]} ms: ${r.p99Ms < GOALS[r.clients]! ? 'met' : 'MISSED'}`}`,
    r.kbPerIdleConnection.toFixed(1),
    r.kbPerIdleConnection < 30 ? 'met' : 'MISSED',
  ]);
  return [
    'Time from sending a flag update (PATCH, embedded store) to the last of N `server`-key websocket clients',
    'receiving it (relay in its own process, clients in the bench process, same machine), and the relay\'s',
    'resident memory growth per idle connection (goal < 30 KB).',
    '',
    markdownTable(['clients', 'p50 ms', 'p99 ms', 'max ms', 'latency goal', 'KB / idle connection', 'memory goal'], rows),
  ].join('\n');
}
