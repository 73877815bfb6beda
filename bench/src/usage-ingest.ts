import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { DEFAULT_FLAG_LIMITS } from '@switchyard/core';
import {
  configWith,
  startRelay,
  USAGE_DEFAULTS,
  UsageBackpressureError,
  usageBatchSchema,
  UsageMongoStore,
  UsageRecorder,
} from '@switchyard/relay';
import { MongoClient } from 'mongodb';
import { markdownTable } from './measure.js';
import { startMongo } from './mongo-target.js';
import { loadTest } from './relay/autocannon.js';

/**
 * Usage ingestion into MongoDB (FerretDB 1.24 on SQLite here, or SWITCHYARD_BENCH_MONGODB_URI):
 * the relay's path behind `POST /api/v1/usage` without the socket — JSON.parse, schema validation,
 * in-memory aggregation, and the recorder's periodic `$inc`/`$max` bulk upserts — in one process.
 * An event is one evaluation entry (count 1, one user id) or one tracked outcome, each with its own
 * user among 100,000, so unique-user sets do real work. Memory is sampled every second.
 */
export const USAGE_BENCH_PACKAGES = ['mongodb', '@switchyard/relay', 'autocannon'];

export interface UsageIngestOptions {
  durationSeconds: number;
  eventsPerBatch: number;
  flags: number;
}

const DEFAULTS: UsageIngestOptions = {
  durationSeconds: Number(process.env['SWITCHYARD_BENCH_USAGE_SECONDS'] ?? 30),
  eventsPerBatch: 1_000,
  flags: 20,
};
const GOAL_EVENTS_PER_SECOND = 50_000;
const USERS = 100_000;

export async function runUsageIngestBench(options: UsageIngestOptions = DEFAULTS): Promise<string> {
  const mongo = await startMongo();
  const client = new MongoClient(mongo.uri, { serverSelectionTimeoutMS: 20_000 });
  try {
    await client.connect();
    const db = client.db(`usage_bench_${process.pid}`);
    const store = new UsageMongoStore(db);
    const result = await ingest(store, options);
    await db.dropDatabase();
    const overHttp = await ingestOverHttp(`${mongo.uri}usage_bench_http_${process.pid}`);
    return `${report(result, options, mongo.label)}\n\n${overHttp}`;
  } finally {
    await client.close();
    await mongo.stop();
  }
}

interface IngestResult {
  events: number;
  seconds: number;
  flushSeconds: number;
  backpressureWaits: number;
  heapMb: number[];
  rssMb: number[];
}

async function ingest(store: UsageMongoStore, options: UsageIngestOptions): Promise<IngestResult> {
  const recorder = new UsageRecorder(store, USAGE_DEFAULTS);
  const schema = usageBatchSchema(USAGE_DEFAULTS, DEFAULT_FLAG_LIMITS.maxNameLength);
  const bodies = Array.from({ length: 64 }, (_, i) => JSON.stringify(batch(i, options)));
  const heapMb: number[] = [];
  const rssMb: number[] = [];
  const sample = setInterval(() => {
    const memory = process.memoryUsage();
    heapMb.push(memory.heapUsed / 2 ** 20);
    rssMb.push(memory.rss / 2 ** 20);
  }, 1_000);
  recorder.start();
  const start = performance.now();
  const deadline = start + options.durationSeconds * 1_000;
  let events = 0;
  let backpressureWaits = 0;
  for (let i = 0; performance.now() < deadline; i++) {
    const parsed = schema.parse(JSON.parse(bodies[i % bodies.length] as string));
    try {
      recorder.ingest('production', parsed);
      events += options.eventsPerBatch;
    } catch (error) {
      if (!(error instanceof UsageBackpressureError)) throw error;
      backpressureWaits += 1;
      await recorder.flush();
    }
    await yieldToLoop();
  }
  const flushStart = performance.now();
  await recorder.stop();
  const end = performance.now();
  clearInterval(sample);
  return {
    events,
    seconds: (end - start) / 1_000,
    flushSeconds: (end - flushStart) / 1_000,
    backpressureWaits,
    heapMb,
    rssMb,
  };
}

const HTTP_SECONDS = 15;
const HTTP_CONNECTIONS = 16;
/** Fits one command-line argument of the load generator (Linux caps one at 128 KiB). */
const HTTP_EVENTS_PER_BATCH = 500;
const ADMIN_KEY = 'sy-bench-admin-key-0123456789';

/**
 * The same through the relay's HTTP endpoint: a relay on the MongoDB store in this process,
 * autocannon in another posting one fixed batch (the same users each time) over 16 connections.
 */
async function ingestOverHttp(mongodbUri: string): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-usage-'));
  const relay = await startRelay(
    configWith({ port: 0, host: '127.0.0.1', dataDir, mongodbUri, adminKey: ADMIN_KEY, logLevel: 'error' }),
    {
      print: () => undefined,
    },
  );
  try {
    const body = JSON.stringify({
      environment: 'production',
      ...batch(1, { durationSeconds: 0, eventsPerBatch: HTTP_EVENTS_PER_BATCH, flags: 20 }),
    });
    const result = await loadTest({
      url: `${relay.url}/api/v1/usage`,
      body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      seconds: HTTP_SECONDS,
      connections: HTTP_CONNECTIONS,
    });
    const rate = result.requestsPerSecond * HTTP_EVENTS_PER_BATCH;
    return `Over HTTP (\`POST /api/v1/usage\`, ${HTTP_SECONDS} s, ${HTTP_CONNECTIONS} connections, batches of ${HTTP_EVENTS_PER_BATCH} events, ${Buffer.byteLength(body)} bytes):\n\n${markdownTable(
      [
        'batches/s',
        'events/s',
        `goal ≥ ${GOAL_EVENTS_PER_SECOND.toLocaleString('en')}`,
        'p50 ms',
        'p99 ms',
        'errors and non-2xx',
      ],
      [
        [
          Math.round(result.requestsPerSecond),
          Math.round(rate),
          rate >= GOAL_EVENTS_PER_SECOND ? 'met' : 'NOT met',
          result.p50Ms,
          result.p99Ms,
          result.errors + result.non2xx,
        ],
      ],
    )}`;
  } finally {
    await relay.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Half evaluation entries, half outcomes, users drawn from a fixed population. */
function batch(seed: number, options: UsageIngestOptions) {
  const now = new Date().toISOString();
  const half = options.eventsPerBatch / 2;
  const user = (i: number) => `user-${(seed * 7919 + i * 104_729) % USERS}`;
  const flagName = (i: number) => `bench-flag-${i % options.flags}`;
  return {
    evaluations: Array.from({ length: half }, (_, i) => ({
      flagName: flagName(i),
      variant: i % 2 === 0 ? 'control' : 'treatment',
      enabled: true,
      count: 1,
      userIds: [user(i)],
      periodStart: now,
    })),
    events: Array.from({ length: half }, (_, i) => ({
      name: 'conversion',
      flagName: flagName(i),
      variant: i % 2 === 0 ? 'control' : 'treatment',
      userId: user(i),
      value: i % 100,
      timestamp: now,
    })),
  };
}

function report(result: IngestResult, options: UsageIngestOptions, label: string): string {
  const rate = result.events / result.seconds;
  const half = Math.floor(result.heapMb.length / 2);
  const secondHalf = result.heapMb.slice(half);
  const table = markdownTable(
    [
      'store',
      'events',
      'seconds (incl. final flush)',
      'events/s',
      `goal ≥ ${GOAL_EVENTS_PER_SECOND.toLocaleString('en')}`,
      'final flush s',
      '503 waits',
    ],
    [
      [
        label,
        result.events,
        result.seconds.toFixed(1),
        Math.round(rate),
        rate >= GOAL_EVENTS_PER_SECOND ? 'met' : 'NOT met',
        result.flushSeconds.toFixed(2),
        result.backpressureWaits,
      ],
    ],
  );
  const rssSecondHalf = result.rssMb.slice(half);
  const memory = markdownTable(
    [
      'heap MB at 1 s',
      'heap MB, 2nd half min–max',
      'heap MB at end',
      'RSS MB at 1 s',
      'RSS MB, 2nd half min–max',
      'RSS MB at end',
    ],
    [
      [
        fixed(result.heapMb[0]),
        `${fixed(Math.min(...secondHalf))}–${fixed(Math.max(...secondHalf))}`,
        fixed(result.heapMb.at(-1)),
        fixed(result.rssMb[0]),
        `${fixed(Math.min(...rssSecondHalf))}–${fixed(Math.max(...rssSecondHalf))}`,
        fixed(result.rssMb.at(-1)),
      ],
    ],
  );
  return `${options.durationSeconds} s of batches of ${options.eventsPerBatch} events (${options.flags} flags, 2 variants, ${USERS.toLocaleString('en')} users), flushed every ${USAGE_DEFAULTS.flushIntervalMs} ms.\n\n${table}\n\nMemory, sampled every second:\n\n${memory}`;
}

function fixed(value: number | undefined): string {
  return value === undefined ? '–' : value.toFixed(0);
}
