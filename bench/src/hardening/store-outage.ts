import { WebSocket } from 'ws';
import { startMongo } from '../mongo-target.js';
import { startRelayProcess } from '../relay-process.js';
import { timed } from './timed.js';

/** Issue 17 item 4: key checks and stream upgrades while the database is down, against normal. */
export interface StoreOutageResult {
  store: string;
  normalEvaluateMs: number;
  outageEvaluateMs: number;
  normalStreamMs: number;
  outageStreamMs: number;
}

/** Callers per measurement, each with its own key, all at once (as a relay's callers arrive). */
const CALLERS = 15;
const KEY_CACHE_SECONDS = 1;

/**
 * A relay on a FerretDB started for the run, with the default server-selection timeout (5 s) and a
 * 1 s key cache, so that every key is past its cache period when it is used during the outage.
 */
export async function measureStoreOutage(adminKey: string): Promise<StoreOutageResult> {
  if (process.env['SWITCHYARD_BENCH_MONGODB_URI'])
    throw new Error('the outage measurement kills its database: unset SWITCHYARD_BENCH_MONGODB_URI');
  const mongo = await startMongo();
  const relay = await startRelayProcess(adminKey, {
    SWITCHYARD_MONGODB_URI: mongo.uri,
    SWITCHYARD_MONGODB_DATABASE: 'outage',
    SWITCHYARD_API_KEY_CACHE_SECONDS: String(KEY_CACHE_SECONDS),
    SWITCHYARD_CONSOLE_ENABLED: 'false',
  });
  try {
    await relay.api('POST', '/api/v1/feature-flags', {
      name: 'outage-flag',
      type: 'boolean',
      environments: { production: { enabled: true, fallthrough: { serve: true } } },
    });
    const serverKeys: string[] = [];
    const clientKeys: string[] = [];
    for (let i = 0; i < CALLERS; i += 1) {
      serverKeys.push(await relay.createKey('server'));
      clientKeys.push(await relay.createKey('client'));
    }
    const evaluate = (key: string) => evaluateOnce(relay.url, key);
    const stream = (key: string) => openAndClose(relay.url, key);
    await medianMs(serverKeys, evaluate);
    await medianMs(clientKeys, stream);
    await pastKeyCache();
    const normalEvaluateMs = await medianMs(serverKeys, evaluate);
    const normalStreamMs = await medianMs(clientKeys, stream);
    mongo.kill!();
    while (!/^switchyard_store_up 0$/m.test(await (await fetch(`${relay.url}/metrics`)).text()))
      await new Promise((resolve) => setTimeout(resolve, 100));
    await pastKeyCache();
    return {
      store: mongo.label,
      normalEvaluateMs,
      outageEvaluateMs: await medianMs(serverKeys, evaluate),
      normalStreamMs,
      outageStreamMs: await medianMs(clientKeys, stream),
    };
  } finally {
    await relay.stop();
    mongo.stop();
  }
}

const pastKeyCache = () => new Promise((resolve) => setTimeout(resolve, KEY_CACHE_SECONDS * 1000 + 200));

async function medianMs(keys: string[], request: (key: string) => Promise<void>): Promise<number> {
  const durations = await Promise.all(keys.map(async (key) => (await timed(() => request(key))).ms));
  durations.sort((a, b) => a - b);
  return durations[Math.floor(durations.length / 2)]!;
}

async function evaluateOnce(url: string, key: string): Promise<void> {
  const response = await fetch(`${url}/api/v1/feature-flags/evaluate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ flagName: 'outage-flag', userContext: { userId: 'user-1' } }),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`evaluate answered ${response.status}`);
}

function openAndClose(url: string, key: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/stream`, {
      headers: { authorization: `Bearer ${key}` },
    });
    socket.once('open', () => {
      socket.close();
      resolve();
    });
    socket.once('error', reject);
  });
}
