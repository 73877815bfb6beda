import { randomBytes } from 'node:crypto';
import { startMongoTestServer, uniqueDatabaseName } from '@switchyard/relay/testing';
import type WebSocket from 'ws';
import { markdownTable } from './measure.js';
import { startRelayProcess, type RelayProcess } from './relay-process.js';
import { benchFlag, connectOne, percentile } from './stream-fanout.js';

/**
 * Several relays on one database: three relay processes on one FerretDB/MongoDB; a change made
 * through relay 1 until a websocket client of relay 3 receives it (write, relay 3's next poll, fan-out).
 */
export const PROPAGATION_BENCH_PACKAGES = ['mongodb', 'ws'];

const INTERVALS_MS = [100, 250, 500];
const FLAG = 'bench-propagation';
const CHANGES = Buffer.from('{"type":"changes"');

export async function runRelayPropagationBench(updates = 30): Promise<string> {
  const database = await startMongoTestServer();
  try {
    const rows: (string | number)[][] = [];
    for (const interval of INTERVALS_MS) {
      const latencies = await measure(`${database.uri}${uniqueDatabaseName('bench_propagation')}`, interval, updates);
      rows.push([
        interval,
        percentile(latencies, 0.5).toFixed(0),
        percentile(latencies, 0.9).toFixed(0),
        percentile(latencies, 0.99).toFixed(0),
      ]);
    }
    return [
      `From sending a PATCH to relay 1 until a \`server\`-key stream on relay 3 receives the change; three relay`,
      `processes on one ${database.kind} database, ${updates} updates at random moments per interval.`,
      '',
      markdownTable(['SWITCHYARD_SYNC_INTERVAL_MS', 'p50 ms', 'p90 ms', 'p99 ms'], rows),
    ].join('\n');
  } finally {
    await database.dispose();
  }
}

async function measure(mongodbUri: string, intervalMs: number, updates: number): Promise<number[]> {
  const adminKey = `sy_admin_${randomBytes(16).toString('hex')}`;
  const relays: RelayProcess[] = [];
  let socket: WebSocket | undefined;
  try {
    for (let i = 0; i < 3; i += 1) {
      relays.push(
        await startRelayProcess(adminKey, {
          SWITCHYARD_MONGODB_URI: mongodbUri,
          SWITCHYARD_SYNC_INTERVAL_MS: String(intervalMs),
        }),
      );
    }
    const [first, , third] = relays as [RelayProcess, RelayProcess, RelayProcess];
    let version = Number((await first.api('POST', '/api/v1/feature-flags', benchFlag(FLAG))).version);
    const key = await first.api('POST', '/api/v1/api-keys', {
      name: 'bench-propagation',
      role: 'server',
      environment: 'production',
    });
    socket = await connectOne(third.url, String(key.key ?? key.secret));
    const latencies: number[] = [];
    for (let i = 0; i < updates; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * intervalMs * 2));
      const received = nextChange(socket);
      const start = performance.now();
      const flag = await first.api('PATCH', `/api/v1/feature-flags/${FLAG}?environment=production`, {
        version,
        rolloutConfig: { percentage: i % 100 },
      });
      version = Number(flag.version);
      latencies.push((await received) - start);
    }
    return latencies.sort((a, b) => a - b);
  } finally {
    socket?.terminate();
    await Promise.all(relays.map((relay) => relay.stop()));
  }
}

function nextChange(socket: WebSocket): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no change reached relay 3 within 30 s')), 30_000);
    const onMessage = (data: Buffer): void => {
      if (data.indexOf(CHANGES) !== 0) return;
      clearTimeout(timer);
      socket.off('message', onMessage);
      resolve(performance.now());
    };
    socket.on('message', onMessage);
  });
}
