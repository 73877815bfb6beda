import { mkdirSync, writeFileSync } from 'node:fs';
import { CORE_BENCH_PACKAGES, runCoreBench } from './core/core-bench.js';
import { EDGE_BENCH_PACKAGES, runEdgeBench } from './edge/edge-bench.js';
import { HARDENING_BENCH_PACKAGES, runHardeningBench } from './hardening/hardening-bench.js';
import { machineMarkdown } from './machine.js';
import { PROVIDER_BENCH_PACKAGES, runProviderBench } from './provider/provider-bench.js';
import { RELAY_BENCH_PACKAGES, runRelayHttpBench } from './relay/relay-http-bench.js';
import { RELAY_WORKERS_BENCH_PACKAGES, runRelayWorkersBench } from './relay/relay-workers-bench.js';
import { PROPAGATION_BENCH_PACKAGES, runRelayPropagationBench } from './relay-propagation.js';
import { runSoakBench, SOAK_BENCH_PACKAGES } from './soak/soak-bench.js';
import { runStoreCompactionBench, STORE_BENCH_PACKAGES } from './store-compaction.js';
import { runStreamFanoutBench, STREAM_BENCH_PACKAGES } from './stream-fanout.js';
import { runUsageIngestBench, USAGE_BENCH_PACKAGES } from './usage-ingest.js';

/**
 * `npm run bench [suite…]`: runs every suite (or the named ones) in one process, prints markdown and
 * writes bench/results/latest.md, which docs/benchmarks.md quotes.
 */
interface Suite {
  name: string;
  title: string;
  packages: string[];
  run(): Promise<string>;
}

const SUITES: Suite[] = [
  {
    name: 'core',
    title: 'Evaluation engine, side by side with peers',
    packages: CORE_BENCH_PACKAGES,
    run: runCoreBench,
  },
  {
    name: 'relay-http',
    title: 'Relay evaluate endpoint beside a bare Express handler',
    packages: RELAY_BENCH_PACKAGES,
    run: runRelayHttpBench,
  },
  {
    name: 'relay-workers',
    title: 'Relay evaluate and OFREP bulk beside a bare Express app, 1 and 2 workers',
    packages: RELAY_WORKERS_BENCH_PACKAGES,
    run: runRelayWorkersBench,
  },
  {
    name: 'edge',
    title: 'Relay beside Unleash Edge: every flag for one context, at equal cores',
    packages: EDGE_BENCH_PACKAGES,
    run: runEdgeBench,
  },
  {
    name: 'provider',
    title: "Server provider: the OpenFeature SDK's overhead, and memory",
    packages: PROVIDER_BENCH_PACKAGES,
    run: runProviderBench,
  },
  {
    name: 'stream',
    title: 'Websocket push: flag update to the last of N streams, and memory per idle stream',
    packages: STREAM_BENCH_PACKAGES,
    run: () => runStreamFanoutBench(),
  },
  {
    name: 'propagation',
    title: 'Several relays: a change through relay 1 to a stream on relay 3',
    packages: PROPAGATION_BENCH_PACKAGES,
    run: () => runRelayPropagationBench(),
  },
  {
    name: 'store',
    title: 'Embedded store: evaluate latency while compacting 100,000 audit entries, snapshot size, restart RSS',
    packages: STORE_BENCH_PACKAGES,
    run: () => runStoreCompactionBench(),
  },
  {
    name: 'usage',
    title: 'Usage ingestion into MongoDB (FerretDB), batched',
    packages: USAGE_BENCH_PACKAGES,
    run: () => runUsageIngestBench(),
  },
  {
    name: 'soak',
    title: 'Soak: relay memory before, during and after a mixed load',
    packages: SOAK_BENCH_PACKAGES,
    run: () => runSoakBench(),
  },
  {
    name: 'hardening',
    title: 'Hardening under abuse and outages: the findings of issue 17, re-measured',
    packages: HARDENING_BENCH_PACKAGES,
    run: runHardeningBench,
  },
];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !SUITES.some((s) => s.name === name));
  if (unknown.length > 0) {
    console.error(`unknown suite(s): ${unknown.join(', ')}; known: ${SUITES.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
  const selected = wanted.length > 0 ? SUITES.filter((s) => wanted.includes(s.name)) : SUITES;
  const sections = [
    `# Benchmark run, ${new Date().toISOString()}`,
    machineMarkdown(selected.flatMap((s) => s.packages)),
  ];
  for (const suite of selected) {
    console.error(`bench: running ${suite.name}…`);
    const body = await suite.run();
    const section = `## ${suite.title}\n\n${body}`;
    console.log(`${section}\n`);
    sections.push(section);
  }
  mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('../results/latest.md', import.meta.url), `${sections.join('\n\n')}\n`);
}

await main();
