import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { markdownTable } from '../measure.js';
import { premiumThenQuarterFlag } from '../relay/relay-http-bench.js';
import { startMongo, type MongoTarget } from '../mongo-target.js';
import { freePort } from '@switchyard/relay/testing';
import { startRelayProcess, type RelayProcess } from '../relay-process.js';
import { prefillHistory, randomAdminKey, runMixedLoad, type LoadTally, type SoakTarget } from './mixed-load.js';
import { RelayInspector } from './relay-inspector.js';

/**
 * A bounded soak: one relay process under a mixed load (mixed-load.ts) for a few rounds, its heap
 * and resident memory sampled every second, before, during and after each round, and after a
 * settle period both as found and after a full GC forced through the inspector. A leak shows as
 * post-GC heap that climbs from round to round; heap V8 merely keeps shows as a pre-GC figure
 * that the GC gives back.
 *
 * Settings (environment): SWITCHYARD_BENCH_SOAK_SECONDS (load per round, default 45),
 * SWITCHYARD_BENCH_SOAK_ROUNDS (default 2), SWITCHYARD_BENCH_SOAK_SETTLE_SECONDS (default 15),
 * SWITCHYARD_BENCH_SOAK_STORE (`embedded`, default, or `mongodb`: SWITCHYARD_BENCH_MONGODB_URI or a
 * FerretDB started for the run), SWITCHYARD_BENCH_SOAK_SNAPSHOTS (a folder: heap snapshots of the
 * relay before the load and after each round's GC, to compare in Chrome DevTools or memlab),
 * SWITCHYARD_BENCH_SOAK_PREFILL_WRITES (flag writes before the first measurement, default 0: a store
 * with a history, as the relay of issue 17 had), SWITCHYARD_BENCH_SOAK_RELAY_NODE_ARGS (node options
 * for the relay, e.g. `--max-old-space-size=160`).
 */
export const SOAK_BENCH_PACKAGES = ['ws'];

const FLAGS = 20;
const REQUEST_LOOPS = 16;
const STREAM_LOOPS = 8;
const WRITES_PER_SECOND = 10;

interface SoakOptions {
  seconds: number;
  rounds: number;
  settleSeconds: number;
  store: 'embedded' | 'mongodb';
  snapshots: string | undefined;
  prefillWrites: number;
  relayNodeArgs: string[];
}

interface Memory {
  /** V8's heap in use (live objects and garbage not yet collected). */
  heapMB: number;
  /** V8's heap as reserved from the system. */
  heapTotalMB: number;
  /** Memory outside the heap held by JS objects (Buffers and ArrayBuffers). */
  externalMB: number;
  rssMB: number;
}

interface Sample extends Memory {
  at: number;
  round: number;
  phase: string;
}

interface Checkpoint extends Memory {
  label: string;
}

function optionsFromEnv(): SoakOptions {
  const number = (name: string, fallback: number) => {
    const value = Number(process.env[name] ?? fallback);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
    return value;
  };
  const store = process.env['SWITCHYARD_BENCH_SOAK_STORE'] ?? 'embedded';
  if (store !== 'embedded' && store !== 'mongodb') throw new Error('SWITCHYARD_BENCH_SOAK_STORE: embedded or mongodb');
  return {
    seconds: number('SWITCHYARD_BENCH_SOAK_SECONDS', 45),
    rounds: number('SWITCHYARD_BENCH_SOAK_ROUNDS', 2),
    settleSeconds: number('SWITCHYARD_BENCH_SOAK_SETTLE_SECONDS', 15),
    store,
    snapshots: process.env['SWITCHYARD_BENCH_SOAK_SNAPSHOTS'],
    prefillWrites: Number(process.env['SWITCHYARD_BENCH_SOAK_PREFILL_WRITES'] ?? 0),
    relayNodeArgs: (process.env['SWITCHYARD_BENCH_SOAK_RELAY_NODE_ARGS'] ?? '').split(' ').filter(Boolean),
  };
}

export async function runSoakBench(options: SoakOptions = optionsFromEnv()): Promise<string> {
  const mongo: MongoTarget | undefined = options.store === 'mongodb' ? await startMongo() : undefined;
  const adminKey = randomAdminKey();
  const inspectPort = await freePort();
  const relay = await startRelayProcess(
    adminKey,
    {
      ...(mongo === undefined
        ? {}
        : { SWITCHYARD_MONGODB_URI: mongo.uri, SWITCHYARD_MONGODB_DATABASE: `soak${Date.now()}` }),
      // One load process plays every client from loopback: the limits per key and address would refuse it.
      SWITCHYARD_CLIENT_RATE_LIMIT_PER_MINUTE: '1000000',
      SWITCHYARD_OFREP_RATE_LIMIT_PER_MINUTE: '1000000',
      SWITCHYARD_MAX_CONNECTIONS_PER_ADDRESS: '0',
      SWITCHYARD_STREAM_MAX_PER_ADDRESS: '10000',
    },
    { nodeArgs: [`--inspect=127.0.0.1:${inspectPort}`, ...options.relayNodeArgs] },
  );
  const inspector = await RelayInspector.connect(inspectPort);
  if (options.snapshots !== undefined) mkdirSync(options.snapshots, { recursive: true });
  try {
    const target = await setUp(relay, adminKey);
    const prefill = await prefillHistory(target, options.prefillWrites);
    const samples: Sample[] = [];
    const checkpoints: Checkpoint[] = [];
    const started = Date.now();
    const sample = async (round: number, phase: string) => {
      const memory = await inspector.memoryUsage();
      const point: Sample = {
        at: (Date.now() - started) / 1000,
        round,
        phase,
        heapMB: mb(memory.heapUsed),
        heapTotalMB: mb(memory.heapTotal),
        externalMB: mb(memory.external),
        rssMB: mb(relay.rssBytes()),
      };
      samples.push(point);
      return point;
    };
    const checkpoint = async (label: string, snapshot?: string) => {
      const point = await sample(0, label);
      checkpoints.push({ ...point, label });
      if (snapshot !== undefined && options.snapshots !== undefined)
        await inspector.writeHeapSnapshot(join(options.snapshots, `${snapshot}.heapsnapshot`));
    };
    await checkpoint('before the load');
    await inspector.collectGarbage();
    await checkpoint('before the load, after a full GC', 'before');
    const tallies: LoadTally[] = [];
    for (let round = 1; round <= options.rounds; round += 1) {
      const sampler = everySecond(() => sample(round, 'load'));
      tallies.push(
        await runMixedLoad(target, {
          seconds: options.seconds,
          requestLoops: REQUEST_LOOPS,
          streamLoops: STREAM_LOOPS,
          writesPerSecond: WRITES_PER_SECOND,
        }),
      );
      await sampler.stop();
      const peak = samples.filter((s) => s.round === round);
      checkpoints.push({
        label: `round ${round}: peak during the load`,
        heapMB: Math.max(...peak.map((s) => s.heapMB)),
        heapTotalMB: Math.max(...peak.map((s) => s.heapTotalMB)),
        externalMB: Math.max(...peak.map((s) => s.externalMB)),
        rssMB: Math.max(...peak.map((s) => s.rssMB)),
      });
      await checkpoint(`round ${round}: as the load stops`);
      const settler = everySecond(() => sample(round, 'settle'));
      await new Promise((resolve) => setTimeout(resolve, options.settleSeconds * 1000));
      await settler.stop();
      await checkpoint(`round ${round}: ${options.settleSeconds} s later`);
      await inspector.collectGarbage();
      await checkpoint(`round ${round}: then after a full GC`, `after-round-${round}`);
    }
    return report(options, mongo, samples, checkpoints, [prefill, ...tallies]);
  } finally {
    inspector.close();
    await relay.stop();
    mongo?.stop();
  }
}

async function setUp(relay: RelayProcess, adminKey: string): Promise<SoakTarget> {
  const flagNames = Array.from({ length: FLAGS }, (_, i) => `soak-flag-${i}`);
  for (const name of flagNames) await relay.api('POST', '/api/v1/feature-flags', premiumThenQuarterFlag(name));
  return {
    url: relay.url,
    adminKey,
    serverKey: await relay.createKey('server'),
    clientKey: await relay.createKey('client'),
    flagNames,
  };
}

/** Runs `task` every second until stopped (a slow task delays the next one rather than overlapping it). */
function everySecond(task: () => Promise<unknown>): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      await task();
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}

const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);

function report(
  options: SoakOptions,
  mongo: MongoTarget | undefined,
  samples: Sample[],
  checkpoints: Checkpoint[],
  tallies: LoadTally[],
): string {
  const requests = tallies.reduce((sum, t) => sum + t.requests, 0);
  const byKind: Record<string, number> = {};
  const failures: Record<string, number> = {};
  for (const tally of tallies) {
    for (const [kind, n] of Object.entries(tally.byKind)) byKind[kind] = (byKind[kind] ?? 0) + n;
    for (const [what, n] of Object.entries(tally.failures)) failures[what] = (failures[what] ?? 0) + n;
  }
  const failed = Object.values(failures).reduce((sum, n) => sum + n, 0);
  const every = Math.max(1, Math.round(options.seconds / 6));
  const timeline = samples.filter((s, i) => s.round === 0 || i % every === 0);
  return [
    `${options.rounds} rounds of ${options.seconds} s of mixed load, each followed by ${options.settleSeconds} s without load and a full GC; ` +
      `store: ${mongo === undefined ? 'embedded' : mongo.label}${options.relayNodeArgs.length > 0 ? `, relay started with \`${options.relayNodeArgs.join(' ')}\`` : ''}${options.prefillWrites > 0 ? `, after ${options.prefillWrites.toLocaleString('en')} flag writes made before the first measurement` : ''}. ${REQUEST_LOOPS} request loops (evaluate, OFREP single and bulk, usage, analytics, flag list), ` +
      `${STREAM_LOOPS} stream loops (websocket with server and client keys, OFREP and management SSE, each held 0.2–2 s), ` +
      `flag writes at ${WRITES_PER_SECOND}/s (every 10th creates and deletes a flag); users drawn from 1,000,000.`,
    '',
    `Requests and streams: ${requests.toLocaleString('en')} (${Object.entries(byKind)
      .map(([kind, n]) => `${kind} ${n.toLocaleString('en')}`)
      .join(', ')}); failures: ${failed}${
      failed === 0
        ? ''
        : ` (${Object.entries(failures)
            .map(([what, n]) => `${n}× ${what}`)
            .join('; ')})`
    }.`,
    '',
    markdownTable(
      ['relay memory', 'heap used MB', 'heap total MB', 'external MB', 'RSS MB'],
      checkpoints.map((c) => [c.label, c.heapMB, c.heapTotalMB, c.externalMB, c.rssMB]),
    ),
    '',
    'Sampled during the run (s since the first sample):',
    '',
    markdownTable(
      ['s', 'round', 'phase', 'heap used MB', 'heap total MB', 'external MB', 'RSS MB'],
      timeline.map((s) => [
        s.at.toFixed(0),
        s.round === 0 ? '' : s.round,
        s.phase,
        s.heapMB,
        s.heapTotalMB,
        s.externalMB,
        s.rssMB,
      ]),
    ),
  ].join('\n');
}
