import { benchUsers, type BenchUser } from '../users.js';
import { markdownTable, measureSideBySide, pairedRatio } from '../measure.js';
import { runBulkBench } from './bulk-bench.js';
import { flagdSystem } from './flagd-system.js';
import { growthbookSystem } from './growthbook-system.js';
import { baselineCore, switchyardSystem } from './switchyard-system.js';
import type { SystemUnderTest } from './system.js';
import { unleashSystem } from './unleash-system.js';
import { ENTERPRISE, WORKLOADS } from './workloads.js';

export const CORE_BENCH_PACKAGES = [
  '@switchyard/core',
  '@openfeature/flagd-core',
  '@growthbook/growthbook',
  'unleash-client',
];

/**
 * Before timing anything, checks that every system expresses the same flags: identical answers where
 * the rule is deterministic, and the same proportions where each system hashes users its own way.
 */
function checkEquivalence(systems: SystemUnderTest[], users: BenchUser[]): string[] {
  const notes: string[] = [];
  const sample = users.slice(0, 20_000);
  for (const system of systems) {
    let rolloutOn = 0;
    let treatment = 0;
    let others = 0;
    for (const user of sample) {
      if (system.isOn('rollout', user)) rolloutOn++;
      const expectedTargeting =
        (['US', 'CA', 'UK'].includes(user.country) && user.plan === 'premium') || user.email.includes('@company.com');
      if (system.isOn('targeting', user) !== expectedTargeting)
        throw new Error(`${system.name}: targeting disagrees for ${user.id}`);
      const split = system.splitValue(user) as { text?: string };
      if (user.plan === 'enterprise') {
        if (split?.text !== ENTERPRISE.text)
          throw new Error(`${system.name}: enterprise user ${user.id} got ${JSON.stringify(split)}`);
      } else if (split?.text === 'Purchase') treatment++;
      else others++;
    }
    const rolloutShare = rolloutOn / sample.length;
    const treatmentShare = treatment / (treatment + others);
    if (Math.abs(rolloutShare - 0.25) > 0.02 || Math.abs(treatmentShare - 0.5) > 0.02) {
      throw new Error(`${system.name}: shares off (rollout ${rolloutShare}, treatment ${treatmentShare})`);
    }
    notes.push(
      `${system.name}: rollout ${(rolloutShare * 100).toFixed(1)}%, treatment ${(treatmentShare * 100).toFixed(1)}%`,
    );
  }
  return notes;
}

const ROUNDS = 9;

const ratioCell = (ratio: { median: number; min: number; max: number }) =>
  `**${ratio.median.toFixed(2)}×** (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`;

export async function runCoreBench(): Promise<string> {
  const users = benchUsers();
  const baseline = await baselineCore();
  // Switchyard first (the default interpreter), its opt-in code generation fifth: peers in between;
  // with SWITCHYARD_BENCH_CORE_BASELINE, an earlier build of the core last.
  const systems = [
    switchyardSystem(),
    flagdSystem(),
    growthbookSystem(),
    await unleashSystem(),
    switchyardSystem(true),
    ...(baseline ? [switchyardSystem(false, baseline)] : []),
  ];
  const notes = checkEquivalence(systems, users);
  const rows: (string | number)[][] = [];
  for (const workload of WORKLOADS) {
    const mixed = workload.kind === 'mixed';
    const results = measureSideBySide(
      systems.map((system) => system.evaluator(workload.kind, users)),
      mixed ? 500 : 50_000,
      ROUNDS,
    );
    const ours = results[0]!;
    const digits = mixed ? 0 : 1;
    const flagd = results[1]!;
    const peers = results.slice(1, 4);
    rows.push([
      workload.title,
      ...results.map(
        (r) =>
          `${r.nsPerOp.toFixed(digits)} (${Math.min(...r.samples).toFixed(digits)}–${Math.max(...r.samples).toFixed(digits)})`,
      ),
      ratioCell(pairedRatio(ours, flagd)),
      ratioCell(pairedRatio(results[4]!, flagd)),
      peers.every((r) => r.nsPerOp > ours.nsPerOp) ? 'yes' : 'no',
      ...(baseline ? [ratioCell(pairedRatio(ours, results[5]!))] : []),
    ]);
  }
  for (const system of systems) system.close?.();
  const table = markdownTable(
    [
      'workload: ns per evaluation, median of rounds (min–max)',
      ...systems.map((s) => s.name),
      'flagd-core / Switchyard, median of rounds (min–max)',
      'flagd-core / Switchyard codegen',
      'Switchyard fastest',
      ...(baseline ? ['baseline / Switchyard (> 1: faster now)'] : []),
    ],
    rows,
  );
  return [
    table,
    `Equivalence check over 20,000 users: ${notes.join('; ')}.`,
    `Every flag for one user, by number of flags (${ROUNDS} rounds side by side):`,
    runBulkBench(users, ROUNDS, baseline),
  ].join('\n\n');
}
