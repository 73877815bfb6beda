import { availableParallelism } from 'node:os';
import { loadAverageText } from '../machine.js';
import { markdownTable } from '../measure.js';
import { loadTest, type LoadResult } from '../relay/autocannon.js';
import { BENCH_USER, benchFlags, type BenchFlag } from '../relay/bench-flags.js';
import { treeCpuSeconds } from '../relay/process-cpu.js';
import { OFREP_BULK_BODY, OFREP_BULK_PATH, startBenchRelay } from '../relay/relay-workers-bench.js';
import { EDGE_TOKEN, edgeBinary, edgeBuilt, startEdge } from './edge-process.js';
import { unleashFeatures } from './unleash-features.js';

export const EDGE_BENCH_PACKAGES = ['@switchyard/relay', 'autocannon'];
/** The crate version tools/unleash-edge/install.sh pins. */
const EDGE_VERSION = '19.15.1';

const SECONDS = 10;
const CONNECTIONS = 32;
const FLAGS = 20;
const FRONTEND_ALL_PATH = '/api/frontend/all';
const EDGE_BODY = JSON.stringify({
  userId: BENCH_USER.userId,
  properties: { email: BENCH_USER.email, plan: BENCH_USER.plan, country: BENCH_USER.country },
});

interface Measured {
  load: LoadResult;
  cpuSeconds: number;
}

/** Loads `url` and measures the server's CPU time (its whole process tree) over the load. */
async function measure(pid: number, url: string, headers: Record<string, string>, body: string): Promise<Measured> {
  const before = treeCpuSeconds(pid);
  const load = await loadTest({ url, headers, body, seconds: SECONDS, connections: CONNECTIONS });
  return { load, cpuSeconds: treeCpuSeconds(pid) - before };
}

/**
 * Unleash Edge (offline mode, its features file) beside the relay (embedded store), the same flags,
 * "every flag for this context": Edge's `POST /api/frontend/all` against OFREP bulk, with the same
 * autocannon settings, at 1 and 2 cores: Edge's `--workers` and the relay's `--workers`, and with one
 * core both pinned to CPU 0 (`taskset`). CPU per request is the servers' CPU time (/proc) over the
 * requests answered.
 */
export async function runEdgeBench(): Promise<string> {
  if (!edgeBuilt()) {
    return (
      `Skipped: Unleash Edge is not built (${edgeBinary()} is missing). Build it once with ` +
      '`tools/unleash-edge/install.sh` (cargo, tens of minutes on two cores), then run `npm run bench -- edge`.'
    );
  }
  const flags = benchFlags(FLAGS);
  const rows: (string | number)[][] = [];
  for (const cores of [1, 2]) {
    if (cores > availableParallelism()) continue;
    const cpus = cores < availableParallelism() ? Array.from({ length: cores }, (_, i) => i).join(',') : undefined;
    const edge = await startEdge(unleashFeatures(flags), cores, cpus);
    try {
      await checkEdgeAnswers(edge.url, flags);
      const result = await measure(
        edge.pid,
        `${edge.url}${FRONTEND_ALL_PATH}`,
        { 'content-type': 'application/json', authorization: EDGE_TOKEN },
        EDGE_BODY,
      );
      rows.push(row(`Unleash Edge ${EDGE_VERSION}, POST ${FRONTEND_ALL_PATH}`, cores, result));
    } finally {
      await edge.stop();
    }
    const { relay, serverKey } = await startBenchRelay(cores, cpus);
    try {
      const result = await measure(
        relay.pid,
        `${relay.url}${OFREP_BULK_PATH}`,
        { 'content-type': 'application/json', authorization: `Bearer ${serverKey}` },
        OFREP_BULK_BODY,
      );
      rows.push(row(`Switchyard relay, POST ${OFREP_BULK_PATH}`, cores, result));
    } finally {
      await relay.stop();
    }
  }
  const table = markdownTable(
    ['server', 'cores', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs / request', 'requests per CPU-second', 'errors'],
    rows,
  );
  return (
    `${table}\n\n${FLAGS} flags (three shapes: a rule then 25%, two constraints, on), one user context, every flag ` +
    `evaluated per request. ${CONNECTIONS} connections, ${SECONDS} s per run, autocannon in its own process. ` +
    `Cores: Edge's --workers and the relay's --workers; with 1 core each server is pinned to CPU 0 (taskset). ` +
    `CPU per request counts every thread and process of the server. Load average (1, 5, 15 min) at the end: ${loadAverageText()}.`
  );
}

function row(server: string, cores: number, { load, cpuSeconds }: Measured): (string | number)[] {
  const requests = load.requestsPerSecond * SECONDS;
  return [
    server,
    cores,
    Math.round(load.requestsPerSecond),
    load.p50Ms,
    load.p99Ms,
    Math.round((cpuSeconds / requests) * 1e6),
    Math.round(requests / cpuSeconds),
    load.errors + load.non2xx,
  ];
}

/** Edge answers every flag, and those without a percentage as the relay does (else the translation is wrong). */
async function checkEdgeAnswers(url: string, flags: BenchFlag[]): Promise<void> {
  const response = await fetch(`${url}${FRONTEND_ALL_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: EDGE_TOKEN },
    body: EDGE_BODY,
  });
  if (!response.ok) throw new Error(`Edge answered ${response.status}: ${await response.text()}`);
  const { toggles } = (await response.json()) as { toggles: Array<{ name: string; enabled: boolean }> };
  if (toggles.length !== flags.length) throw new Error(`Edge answered ${toggles.length} flags, not ${flags.length}`);
  for (const flag of flags) {
    const expected = flag.shape === 'country-and-plan' || flag.shape === 'on' ? true : undefined;
    const toggle = toggles.find((t) => t.name === flag.name);
    if (expected !== undefined && toggle?.enabled !== expected)
      throw new Error(`Edge answered ${flag.name} = ${String(toggle?.enabled)}; the relay serves ${String(expected)}`);
  }
}
