import { availableParallelism } from 'node:os';
import { loadAverageText } from '../machine.js';
import { markdownTable } from '../measure.js';
import { startRelayProcess, type RelayProcess } from '../relay-process.js';
import { loadTest, type LoadResult } from './autocannon.js';
import { startBareExpress } from './bare-express-process.js';
import { BENCH_USER, benchFlags, switchyardFlag } from './bench-flags.js';

export const RELAY_WORKERS_BENCH_PACKAGES = ['@switchyard/relay', 'express', 'autocannon'];

const SECONDS = 10;
const CONNECTIONS = 32;
const ADMIN_KEY = 'sy-bench-admin-key-0123456789';
/** Flags in the environment: what OFREP bulk evaluates for each request. */
const BULK_FLAGS = 20;
const WORKER_COUNTS = [1, 2];
const OFREP_RATE_LIMIT_PER_MINUTE = 1_000_000_000;

const EVALUATE_PATH = '/api/v1/feature-flags/evaluate';
export const OFREP_BULK_PATH = '/ofrep/v1/evaluate/flags';

/** Starts a relay process with the bench flags and a server key; returns it with the key. */
export async function startBenchRelay(
  workers: number,
  cpus?: string,
): Promise<{ relay: RelayProcess; serverKey: string }> {
  // OFREP's rate limit (per key and address, 600 a minute by default) would answer most of the load with 429.
  const relay = await startRelayProcess(
    ADMIN_KEY,
    { SWITCHYARD_OFREP_RATE_LIMIT_PER_MINUTE: String(OFREP_RATE_LIMIT_PER_MINUTE) },
    { workers, ...(cpus === undefined ? {} : { cpus }) },
  );
  for (const flag of benchFlags(BULK_FLAGS)) await relay.api('POST', '/api/v1/feature-flags', switchyardFlag(flag));
  const key = await relay.api('POST', '/api/v1/api-keys', { name: 'bench', role: 'server', environment: 'production' });
  return { relay, serverKey: String(key.secret ?? key.key) };
}

/** OFREP's bulk request for the bench user. */
export const OFREP_BULK_BODY = JSON.stringify({ context: { targetingKey: BENCH_USER.userId, ...BENCH_USER } });
const EVALUATE_BODY = JSON.stringify({ flagName: 'bench-flag-0', userContext: BENCH_USER });

interface Endpoint {
  name: string;
  path: string;
  body: string;
  key: (serverKey: string) => string;
  barePath: string;
}

const ENDPOINTS: Endpoint[] = [
  { name: 'evaluate (1 flag)', path: EVALUATE_PATH, body: EVALUATE_BODY, key: () => ADMIN_KEY, barePath: 'evaluate' },
  {
    name: `OFREP bulk (${BULK_FLAGS} flags)`,
    path: OFREP_BULK_PATH,
    body: OFREP_BULK_BODY,
    key: (serverKey) => serverKey,
    barePath: 'bulk',
  },
];

async function answerOf(url: string, key: string, body: string): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

/**
 * Requests/s of the evaluate endpoint and OFREP bulk with 1 and 2 workers, each beside a bare Express
 * app (the same number of processes, answering the relay's own answers): the ceiling of any Express
 * route. Every server is its own process tree; autocannon runs in another.
 */
export async function runRelayWorkersBench(): Promise<string> {
  const rows: (string | number)[][] = [];
  const ratios: string[] = [];
  for (const workers of WORKER_COUNTS) {
    if (workers > availableParallelism()) continue;
    const { relay, serverKey } = await startBenchRelay(workers);
    try {
      const answers: Record<string, unknown> = {};
      for (const endpoint of ENDPOINTS)
        answers[endpoint.barePath] = await answerOf(
          `${relay.url}${endpoint.path}`,
          endpoint.key(serverKey),
          endpoint.body,
        );
      const bare = await startBareExpress(answers, workers);
      try {
        for (const endpoint of ENDPOINTS) {
          const common = { body: endpoint.body, seconds: SECONDS, connections: CONNECTIONS };
          const bareResult = await loadTest({
            ...common,
            url: `${bare.url}/${endpoint.barePath}`,
            headers: { 'content-type': 'application/json' },
          });
          const relayResult = await loadTest({
            ...common,
            url: `${relay.url}${endpoint.path}`,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${endpoint.key(serverKey)}` },
          });
          const ratio = relayResult.requestsPerSecond / bareResult.requestsPerSecond;
          rows.push(row(workers, endpoint.name, bareResult, relayResult, ratio));
          ratios.push(ratio.toFixed(2));
        }
      } finally {
        await bare.stop();
      }
    } finally {
      await relay.stop();
    }
  }
  const table = markdownTable(
    [
      'workers',
      'endpoint',
      'bare Express req/s',
      'relay req/s',
      'relay / bare',
      'relay p50 ms',
      'relay p99 ms',
      'errors',
    ],
    rows,
  );
  return (
    `${table}\n\nGoal: relay / bare ≥ 0.8 at each worker count. ${CONNECTIONS} connections, ${SECONDS} s per run, ` +
    `autocannon in its own process, loopback; the bare app answers with the relay's own answer (same bytes). ` +
    `Load average (1, 5, 15 min) at the end: ${loadAverageText()}.`
  );
}

function row(
  workers: number,
  endpoint: string,
  bare: LoadResult,
  relay: LoadResult,
  ratio: number,
): (string | number)[] {
  return [
    workers,
    endpoint,
    Math.round(bare.requestsPerSecond),
    Math.round(relay.requestsPerSecond),
    ratio.toFixed(2),
    relay.p50Ms,
    relay.p99Ms,
    relay.errors + relay.non2xx + bare.errors + bare.non2xx,
  ];
}
