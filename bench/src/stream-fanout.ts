import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { markdownTable } from './measure.js';
import { connectAndUpgrade } from './raw-upgrade.js';
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
  /** From the first client receiving the change to the last: the fan-out alone, without the write. */
  spreadP50Ms: number;
  spreadP99Ms: number;
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
  const spreads: number[] = [];
  for (let i = 0; i < updates; i += 1) {
    const { total, spread } = await timeOneUpdate(relay, sockets, i);
    latencies.push(total);
    spreads.push(spread);
  }
  for (const socket of sockets) socket.destroy();
  latencies.sort((a, b) => a - b);
  spreads.sort((a, b) => a - b);
  return {
    clients: count,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? Number.NaN,
    spreadP50Ms: percentile(spreads, 0.5),
    spreadP99Ms: percentile(spreads, 0.99),
    kbPerIdleConnection: (rssAfter - rssBefore) / count / 1024,
  };
}

/** Sends one update; resolves with the ms until the first and the last client got its `changes` message. */
async function timeOneUpdate(
  relay: BenchRelay,
  sockets: Socket[],
  i: number,
): Promise<{ total: number; spread: number }> {
  let pending = sockets.length;
  let first = 0;
  let last = 0;
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`only ${sockets.length - pending} clients got update ${i}`)),
      30_000,
    );
    for (const socket of sockets) {
      const onData = (chunk: Buffer): void => {
        if (chunk.indexOf(CHANGES) < 0) return;
        socket.off('data', onData);
        last = performance.now();
        if (pending === sockets.length) first = last;
        pending -= 1;
        if (pending === 0) {
          clearTimeout(timer);
          resolve();
        }
      };
      socket.on('data', onData);
    }
  });
  const start = performance.now();
  await relay.setPercentage(i % 100);
  await done;
  return { total: last - start, spread: last - first };
}

async function connectAll(url: string, key: string, count: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  const batch = 250;
  for (let opened = 0; opened < count; opened += batch) {
    const wave = Array.from({ length: Math.min(batch, count - opened) }, () => connectRaw(url, key));
    sockets.push(...(await Promise.all(wave)));
  }
  return sockets;
}

/**
 * A websocket client reduced to what the measurement needs: the upgrade, then raw bytes. One bench
 * process plays 10,000 clients; a full client library's per-message work there would measure the
 * bench, not the relay. It never answers pings, so the bench relay's heartbeat is set beyond the run.
 */
function connectRaw(url: string, key: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connectAndUpgrade(url, key);
    socket.setNoDelay(true);
    let seen = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      seen = Buffer.concat([seen, chunk]);
      if (seen.indexOf(SNAPSHOT) < 0) return;
      socket.off('data', onData);
      resolve(socket);
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
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
      if ((data as Buffer).indexOf(SNAPSHOT) < 0) return;
      socket.off('message', onFirstState);
      resolve(socket);
    };
    socket.on('message', onFirstState);
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`stream refused: ${response.statusCode}`)),
    );
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
    // Every bench client comes from loopback: no cap per address.
    SWITCHYARD_MAX_CONNECTIONS_PER_ADDRESS: '0',
    SWITCHYARD_STREAM_MAX_PER_ADDRESS: '15000',
    // The raw bench clients do not answer pings; heartbeats are not what this measures.
    SWITCHYARD_STREAM_HEARTBEAT_INTERVAL_MS: '3600000',
  });
  let version = 0;
  return {
    url: relay.url,
    rssBytes: () => relay.rssBytes(),
    stop: () => relay.stop(),
    async setUp() {
      const flag = await relay.api('POST', '/api/v1/feature-flags', benchFlag(FLAG));
      version = Number(flag.version);
      const created = await relay.api('POST', '/api/v1/api-keys', {
        name: 'bench-server',
        role: 'server',
        environment: 'production',
      });
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
    environments: {
      production: { enabled: true, rules: [{ strategy: 'percentage', percentage: 0 }], fallthrough: { serve: false } },
    },
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
    `${r.spreadP50Ms.toFixed(1)} / ${r.spreadP99Ms.toFixed(1)}`,
    `${GOALS[r.clients] === undefined ? '' : `p99 < ${GOALS[r.clients]} ms: ${r.p99Ms < GOALS[r.clients]! ? 'met' : 'MISSED'}`}`,
    r.kbPerIdleConnection.toFixed(1),
    r.kbPerIdleConnection < 30 ? 'met' : 'MISSED',
  ]);
  return [
    'Time from sending a flag update (PATCH to the relay, embedded store: fsync included) to the last of N',
    '`server`-key websocket clients receiving it (relay in its own process, clients in the bench process, same',
    'machine); "first→last client" is the fan-out alone; and the relay\'s resident memory growth per idle',
    'connection (goal < 30 KB).',
    '',
    markdownTable(
      [
        'clients',
        'p50 ms',
        'p99 ms',
        'max ms',
        'first→last client p50 / p99 ms',
        'latency goal',
        'KB / idle connection',
        'memory goal',
      ],
      rows,
    ),
  ].join('\n');
}
