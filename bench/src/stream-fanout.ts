import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { markdownTable } from './measure.js';
import { startRelayProcess } from './relay-process.js';

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
  const relay = await startBenchRelay();
  try {
    const serverKey = await relay.setUp();
    const results: FanoutResult[] = [];
    for (const clients of options.clientCounts) results.push(await measure(relay, serverKey, clients, options.updates));
    return report(results);
  } finally {
    await relay.stop();
  }
}

async function measure(relay: BenchRelay, key: string, count: number, updates: number): Promise<FanoutResult> {
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
async function timeOneUpdate(relay: BenchRelay, sockets: WebSocket[], i: number): Promise<number> {
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

export function connectOne(url: string, key: string): Promise<WebSocket> {
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

interface BenchRelay {
  url: string;
  /** Creates the flag and a server key; returns the key. */
  setUp(): Promise<string>;
  setPercentage(percentage: number): Promise<void>;
  rssBytes(): number;
  stop(): Promise<void>;
}

async function startBenchRelay(): Promise<BenchRelay> {
  const relay = await startRelayProcess(`sy_admin_${randomBytes(16).toString('hex')}`, {
    SWITCHYARD_STREAM_MAX_CONNECTIONS: '15000',
  });
  let version = 0;
  return {
    url: relay.url,
    rssBytes: () => relay.rssBytes(),
    stop: () => relay.stop(),
    async setUp() {
      const flag = await relay.api('POST', '/api/v1/feature-flags', benchFlag(FLAG));
      version = Number(flag.version);
      const created = await relay.api('POST', '/api/v1/api-keys', { name: 'bench-server', role: 'server', environment: 'production' });
      return String(created.key ?? created.secret);
    },
    async setPercentage(percentage) {
      const flag = await relay.api('PATCH', `/api/v1/feature-flags/${FLAG}?environment=production`, {
        version,
        rolloutConfig: { percentage },
      });
      version = Number(flag.version);
    },
  };
}

/** A boolean flag on in production for a percentage of users. */
export function benchFlag(name: string): Record<string, unknown> {
  return {
    name,
    description: 'bench: push',
    type: 'boolean',
    environments: { production: { enabled: true, rules: [{ strategy: 'percentage', percentage: 0 }], fallthrough: { serve: false } } },
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 2000));

export function percentile(sorted: number[], p: number): number {
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
